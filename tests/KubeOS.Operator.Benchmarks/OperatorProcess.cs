using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace KubeOS.Operator.Benchmarks;

/// <summary>os-operator as its own process (the build output of src/KubeOS.Operator), so its memory is its own.</summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private OperatorProcess(Process process) => _process = process;

    public int MetricsPort { get; private init; }

    public static OperatorProcess Start(string kubeconfig, int metricsPort, IReadOnlyDictionary<string, string> settings)
    {
        var root = typeof(OperatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
        var configuration = typeof(OperatorProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dll = Path.Combine(root, "src", "KubeOS.Operator", "bin", configuration, "net8.0", "os-operator.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built", dll);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Operator__Kubeconfig"] = kubeconfig;
        start.Environment["Operator__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Operator__MetricsHost"] = "127.0.0.1";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("os-operator: " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("os-operator: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process) { MetricsPort = metricsPort };
    }

    /// <summary>Resident set size now and at its peak, from /proc (bytes).</summary>
    public (long Current, long Peak) Rss()
    {
        long Read(string key)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>One sample's value from the operator's /metrics (summed over its label sets).</summary>
    public async Task<double> MetricAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
