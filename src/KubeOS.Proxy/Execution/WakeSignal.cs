namespace KubeOS.Proxy.Execution;

/// <summary>A level-triggered "something changed" flag: any number of events before the loop waits make one wake-up.</summary>
public sealed class WakeSignal
{
    private readonly SemaphoreSlim _gate = new(0, 1);

    public void Set()
    {
        try { _gate.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Clears a pending wake-up: called just before a fresh read, which already shows what the events announced.</summary>
    public void Reset() => _gate.Wait(0);

    /// <summary>Waits until set or until the timeout; true when set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) =>
        _gate.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, ct);
}
