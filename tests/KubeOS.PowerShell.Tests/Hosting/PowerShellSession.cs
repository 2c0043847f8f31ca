using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>
/// A runspace of the real engine with the packaged module imported by its manifest's full path, as a user's
/// <c>Import-Module</c> would. Each test class gets its own session; the module's static state is shared by all of
/// them, so tests never depend on it.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true)
    {
        Host = new RecordingHost();
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
        if (importModule)
        {
            Import = Run("Import-Module -Name $Path -PassThru -ErrorAction Stop", new() { ["Path"] = RepoPaths.ModuleManifest });
            if (Import.Terminating is not null || Import.Errors.Count > 0)
            {
                throw new InvalidOperationException($"Import-Module {RepoPaths.ModuleManifest} failed: {Import}");
            }
        }
    }

    public RecordingHost Host { get; }

    /// <summary>What importing the module produced (warnings about verbs land here).</summary>
    public ScriptResult? Import { get; }

    /// <summary>Runs <paramref name="script"/> with its <c>param()</c> values bound from <paramref name="parameters"/>.</summary>
    public ScriptResult Run(string script, Dictionary<string, object?>? parameters = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        // Script text runs as a script block so parameters can be passed by name ($Path, $Content, ...).
        ps.AddScript(WithParams(script, parameters));
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters)
            {
                ps.AddParameter(name, value);
            }
        }
        Host.TakeOutput();
        Collection<PSObject> output = [];
        RuntimeException? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }
        return new ScriptResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), ps.Streams.Verbose.ToList(),
            ps.Streams.Information.ToList(), ps.Streams.Progress.ToList(), Host.TakeOutput(), terminating);
    }

    /// <summary>
    /// Runs the script inside try/catch and returns the error the catch saw, or null. Only terminating errors
    /// (ThrowTerminatingError, -ErrorAction Stop) reach a catch block; non-terminating ones do not.
    /// </summary>
    public ErrorRecord? Catch(string script, Dictionary<string, object?>? parameters = null)
    {
        var result = Run($"try {{ {script} }} catch {{ $_ }}", parameters);
        return result.OutputOf<ErrorRecord>().SingleOrDefault();
    }

    /// <summary>Runs the script and renders its output through Out-Default into the host, returning the text.</summary>
    public string Render(string script, Dictionary<string, object?>? parameters = null)
    {
        var result = Run($"& {{ {script} }} | Out-Default", parameters);
        if (result.Terminating is not null)
        {
            throw result.Terminating;
        }
        return result.HostText;
    }

    private static string WithParams(string script, IDictionary? parameters) =>
        parameters is null || parameters.Count == 0
            ? script
            : $"param({string.Join(", ", parameters.Keys.Cast<string>().Select(k => "$" + k))})\n{script}";

    public void Dispose() => _runspace.Dispose();
}
