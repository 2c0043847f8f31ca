using k8s;

namespace KubeOS.Operator.Tests.Sampling;

/// <summary>
/// Runs watches in the background until disposed; every watch event is one sample, taken under <see cref="Sync"/> so
/// what a sampler records is consistent with what its readers see. A watch ended by disposal or by the API server
/// going away first is not a failure: the samples taken so far are the result.
/// </summary>
public abstract class WatchSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watches = [];

    /// <summary>Held while a sample is taken; readers of the recorded state take it too.</summary>
    protected object Sync { get; } = new();

    /// <summary>Starts a watch; call from the constructor once the sampler's own state exists.</summary>
    protected void Watch<T>(Func<CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Item)>> watch, Action<WatchEventType, T> sample) =>
        _watches.Add(Task.Run(async () =>
        {
            await foreach (var (type, item) in watch(_stop.Token))
                lock (Sync) sample(type, item);
        }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var watch in _watches)
        {
            try { await watch; }
            catch (OperationCanceledException) { }
            catch (HttpRequestException) { }
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
