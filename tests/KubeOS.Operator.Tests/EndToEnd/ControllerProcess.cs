using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// os-operator or os-proxy as its own process, started from the project's build output with settings in environment
/// variables, as a pod runs it. Output is kept for the failure message of a test that times out.
/// </summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ControllerProcess(Process process) => _process = process;

    public string Name { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Output { get { lock (_output) return _output.Length > 4000 ? _output.ToString(_output.Length - 4000, 4000) : _output.ToString(); } }

    /// <param name="project">KubeOS.Operator or KubeOS.Proxy.</param>
    /// <param name="assembly">os-operator or os-proxy.</param>
    public static ControllerProcess Start(string name, string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(RepoRoot, "src", project, "bin", Configuration, "net8.0", assembly + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built; build tests/KubeOS.Operator.Tests first", dll);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        // Warnings and errors only: the processes' info logs would cost the machine more than the test measures.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var controller = new ControllerProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => controller.Append(e.Data);
        process.ErrorDataReceived += (_, e) => controller.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return controller;
    }

    /// <summary>SIGKILL: no shutdown hook runs, the lease is not released, in-flight writes are cut.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string RepoRoot =>
        typeof(ControllerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    /// <summary>The controllers are built in the configuration of this test assembly (their project references build them).</summary>
    private static string Configuration =>
        typeof(ControllerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
