using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>
/// The sandboxes one runspace started and which of them is the session's default cluster. Kept per runspace, not in
/// a static: a binary module is loaded once per process and shared by every runspace in it, and one session's
/// sandbox must never become another session's cluster. When the runspace closes, its sandboxes are stopped.
/// </summary>
public sealed class SandboxRegistry
{
    private static readonly ConditionalWeakTable<Runspace, SandboxRegistry> ByRunspace = new();
    private readonly List<RunningSandbox> _sandboxes = [];
    private readonly object _gate = new();

    /// <summary>This runspace's registry, created on first use; null outside a runspace.</summary>
    public static SandboxRegistry? ForCurrentRunspace()
    {
        var runspace = Runspace.DefaultRunspace;
        return runspace is null ? null : ByRunspace.GetValue(runspace, Create);
    }

    private static SandboxRegistry Create(Runspace runspace)
    {
        var registry = new SandboxRegistry();
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)
            {
                registry.StopAll();
            }
        };
        return registry;
    }

    /// <summary>The session's default cluster: the sandbox started last that is still running.</summary>
    public RunningSandbox? Current
    {
        get
        {
            lock (_gate)
            {
                return _sandboxes.LastOrDefault(s => !s.Process.HasExited);
            }
        }
    }

    /// <summary>The running sandboxes, oldest first. Sandboxes whose process died are dropped and cleaned up.</summary>
    public IReadOnlyList<RunningSandbox> Running()
    {
        List<RunningSandbox> dead;
        lock (_gate)
        {
            dead = _sandboxes.Where(s => s.Process.HasExited).ToList();
            _sandboxes.RemoveAll(dead.Contains);
        }
        foreach (var sandbox in dead)
        {
            sandbox.Process.Stop(TimeSpan.Zero);
            sandbox.Process.Dispose();
        }
        lock (_gate)
        {
            return _sandboxes.ToList();
        }
    }

    public bool Contains(string name) => Running().Any(s => string.Equals(s.Info.Name, name, StringComparison.OrdinalIgnoreCase));

    public string NextName()
    {
        var running = Running();
        for (var i = 1; ; i++)
        {
            var name = i == 1 ? "sandbox" : $"sandbox-{i}";
            if (!running.Any(s => string.Equals(s.Info.Name, name, StringComparison.OrdinalIgnoreCase))) return name;
        }
    }

    public void Add(RunningSandbox sandbox)
    {
        lock (_gate)
        {
            _sandboxes.Add(sandbox);
        }
    }

    /// <summary>Stops <paramref name="sandbox"/> and forgets it; returns false when it had to be killed.</summary>
    public bool Stop(RunningSandbox sandbox, TimeSpan grace)
    {
        lock (_gate)
        {
            _sandboxes.Remove(sandbox);
        }
        var clean = sandbox.Process.Stop(grace);
        sandbox.Process.Dispose();
        return clean;
    }

    private void StopAll()
    {
        List<RunningSandbox> all;
        lock (_gate)
        {
            all = _sandboxes.ToList();
        }
        foreach (var sandbox in all)
        {
            Stop(sandbox, TimeSpan.FromSeconds(5));
        }
    }
}

/// <summary>A sandbox of this session: what the user sees and the process behind it.</summary>
public sealed record RunningSandbox(SandboxInfo Info, SandboxProcess Process);
