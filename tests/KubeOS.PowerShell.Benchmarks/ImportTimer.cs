using System.Diagnostics;
using System.Globalization;
using System.Management.Automation.Runspaces;

namespace KubeOS.PowerShell.Benchmarks;

/// <summary>
/// Import-Module time as a user sees it in a fresh pwsh: each sample is a new process (nothing loaded or jitted yet)
/// that opens a runspace and then times Import-Module alone. The child is this program with --import-once.
/// </summary>
public static class ImportTimer
{
    public const string ChildSwitch = "--import-once";

    /// <summary>Median of <paramref name="runs"/> child processes importing <paramref name="manifest"/>.</summary>
    public static double ColdMedianMs(string manifest, int runs) =>
        Stats.Median(Enumerable.Range(0, runs).Select(_ => RunChild(manifest)));

    /// <summary>In this process: a new runspace each time, assemblies already loaded (a second import in the same pwsh).</summary>
    public static double WarmMedianMs(string manifest, int runs) => Stats.MedianMs(runs, () => ImportInFreshRunspace(manifest));

    /// <summary>The child's work: prints the milliseconds Import-Module took.</summary>
    public static int Child(string manifest)
    {
        Console.WriteLine(ImportInFreshRunspace(manifest).ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }

    private static double ImportInFreshRunspace(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
        var clock = Stopwatch.StartNew();
        ps.Invoke();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (ps.HadErrors) throw new InvalidOperationException($"Import-Module {manifest} failed: {string.Join("; ", ps.Streams.Error)}");
        return elapsed;
    }

    private static double RunChild(string manifest)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ImportTimer).Assembly.Location);
        start.ArgumentList.Add(ChildSwitch);
        start.ArgumentList.Add(manifest);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the import child failed ({process.ExitCode}): {stderr}");
        return double.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }
}
