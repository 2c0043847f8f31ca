using k8s;
using KubeOS.Api;
using Microsoft.Extensions.Logging;

namespace KubeOS.Proxy.Execution;

/// <summary>
/// Watches the two objects a proxy acts on — its Node and its OSInstance, each selected by name — and wakes the proxy's
/// loop on every change, so it reacts to an assignment or to its node coming back from a reboot at once instead of at
/// its next poll. Only a wake-up: the loop still reads both afresh, so a missed or broken watch costs latency, never
/// correctness, and the poll interval remains the upper bound.
/// </summary>
public sealed class OwnObjectsWatch(IKubernetes client, string node, WakeSignal wake, ILogger log)
{
    private const int WatchSeconds = 300;
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    public Task RunAsync(CancellationToken ct)
    {
        var field = "metadata.name=" + node;
        return Task.WhenAll(
            KeepWatchingAsync("Node", (onError, c) => Events(client.CoreV1.WatchListNodeAsync(fieldSelector: field, timeoutSeconds: WatchSeconds,
                onError: onError, cancellationToken: c)), ct),
            KeepWatchingAsync("OSInstance", (onError, c) => Events(client.CustomObjects.WatchListNamespacedCustomObjectAsync(WellKnown.Group,
                WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, fieldSelector: field, timeoutSeconds: WatchSeconds,
                onError: onError, cancellationToken: c)), ct));
    }

    private async Task KeepWatchingAsync(string kind, Func<Action<Exception>, CancellationToken, IAsyncEnumerable<WatchEventType>> watch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Exception? error = null;
            try
            {
                await foreach (var _ in watch(e => error ??= e, ct).WithCancellation(ct).ConfigureAwait(false))
                {
                    wake.Set();
                    if (error is not null) break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                error = e;
            }
            if (error is not null) log.LogInformation("{Node}: the watch of its {Kind} ended ({Message}); watching again", node, kind, error.Message);
            // Whatever changed while no watch ran is seen by the loop's next look; wake it for that look.
            wake.Set();
            try
            {
                await Task.Delay(error is null ? TimeSpan.Zero : Reconnect, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async IAsyncEnumerable<WatchEventType> Events<T>(IAsyncEnumerable<(WatchEventType, T)> events)
    {
        await foreach (var (type, _) in events.ConfigureAwait(false)) yield return type;
    }
}
