using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text.RegularExpressions;

namespace KubeOS.ScriptHost;

/// <summary>Runs one script through the engine, renders it with Out-Default and works out the exit code.</summary>
public sealed partial class ScriptRunner(TextReader input, TextWriter output, TextWriter error, bool supportsVirtualTerminal)
{
    public int Run(HostOptions options)
    {
        PrependModulePath(ModuleRoot());
        var host = new ConsoleHost(input, output, error, supportsVirtualTerminal);
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        foreach (var module in options.Modules)
        {
            // A relative path here would be skipped silently by the engine; make it absolute.
            state.ImportPSModule(Path.GetFullPath(module));
        }

        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        try
        {
            runspace.Open();
        }
        catch (RunspaceOpenModuleLoadException ex)
        {
            error.WriteLine($"kubeos-pwsh: {ex.Message}");
            return 1;
        }
        using var ps = PowerShell.Create(runspace);
        if (options.Command is not null)
        {
            ps.AddScript(options.Command);
        }
        else
        {
            var script = Path.GetFullPath(options.ScriptPath!);
            if (!File.Exists(script))
            {
                error.WriteLine($"kubeos-pwsh: the script '{options.ScriptPath}' does not exist.");
                return 1;
            }
            ps.AddCommand(script);
            AddScriptArguments(ps, options.ScriptArguments);
        }
        // Errors go through the same formatter as output, so they print where they happened, as in pwsh.
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");

        // Ctrl+C stops the pipeline the way pwsh does (finally blocks run) instead of killing the process.
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            ps.BeginStop(null, null);
        };
        Console.CancelKeyPress += cancel;
        try
        {
            ps.Invoke();
        }
        catch (PipelineStoppedException)
        {
            error.WriteLine("kubeos-pwsh: stopped.");
            return 130;
        }
        catch (RuntimeException ex)
        {
            error.WriteLine(ex.ErrorRecord.ToString());
            if (ex.ErrorRecord.InvocationInfo?.PositionMessage is { Length: > 0 } position)
            {
                error.WriteLine(position);
            }
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }

        if (host.ExitCode is { } requested)
        {
            return requested;
        }
        return runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int lastExitCode ? lastExitCode : 0;
    }

    /// <summary>
    /// Binds script arguments as <c>pwsh -File</c> does: <c>-Name value</c> and <c>-Name:value</c> become named
    /// parameters, a <c>-Name</c> followed by another option (or nothing) is a switch, the rest are positional.
    /// </summary>
    private static void AddScriptArguments(PowerShell ps, IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var match = ParameterToken().Match(args[i]);
            if (!match.Success)
            {
                ps.AddArgument(args[i]);
                continue;
            }
            var name = match.Groups["name"].Value;
            if (match.Groups["value"].Success)
            {
                ps.AddParameter(name, match.Groups["value"].Value);
            }
            else if (i + 1 < args.Count && !ParameterToken().IsMatch(args[i + 1]))
            {
                ps.AddParameter(name, args[++i]);
            }
            else
            {
                ps.AddParameter(name);
            }
        }
    }

    [GeneratedRegex(@"^-(?<name>[A-Za-z_][\w-]*)(:(?<value>.*))?$")]
    private static partial Regex ParameterToken();

    /// <summary>The folder that holds KubeOS/&lt;version&gt;/KubeOS.psd1, so <c>Import-Module KubeOS</c> finds it by name.</summary>
    private static string ModuleRoot() =>
        Environment.GetEnvironmentVariable("KUBEOS_MODULE_ROOT")
        ?? typeof(ScriptRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "ModuleRoot").Value!;

    private static void PrependModulePath(string root)
    {
        var current = Environment.GetEnvironmentVariable("PSModulePath");
        Environment.SetEnvironmentVariable("PSModulePath",
            string.IsNullOrEmpty(current) ? root : root + Path.PathSeparator + current);
    }
}
