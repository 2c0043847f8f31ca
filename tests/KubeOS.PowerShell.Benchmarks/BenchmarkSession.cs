using System.Management.Automation.Runspaces;

namespace KubeOS.PowerShell.Benchmarks;

/// <summary>One runspace with the packaged module imported, as a user's session after Import-Module KubeOS.</summary>
public sealed class BenchmarkSession : IDisposable
{
    private readonly Runspace _runspace;

    public BenchmarkSession(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop").Invoke();
    }

    /// <summary>Runs Get-KubeOSNode (optionally with -Name) against <paramref name="kubeconfig"/> and returns how many objects it wrote.</summary>
    public int CountNodes(string kubeconfig, string? name = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        ps.AddCommand("Get-KubeOSNode").AddParameter("Kubeconfig", kubeconfig);
        if (name is not null) ps.AddParameter("Name", name);
        var output = ps.Invoke();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
        return output.Count;
    }

    public void Dispose() => _runspace.Dispose();
}
