namespace KubeOS.Agent.Server;

/// <summary>One request at a time across the process; a second caller is turned away at once rather than queued.</summary>
public sealed class RequestGate
{
    private int _busy;

    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);
}
