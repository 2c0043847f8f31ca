namespace KubeOS.Operator.Reconcile;

/// <summary>A level-triggered "something changed" flag: many watch events before the loop wakes collapse into one pass.</summary>
public sealed class WakeSignal
{
    private readonly SemaphoreSlim _gate = new(0, 1);

    public void Set()
    {
        try { _gate.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Waits until set or until the timeout; true when set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) =>
        _gate.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, ct);
}
