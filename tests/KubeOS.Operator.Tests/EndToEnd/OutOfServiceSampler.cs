using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Operator.Tests.Operator;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Watches Nodes and, on every watch event, counts the nodes that are out of service — cordoned or carrying an
/// operation label. The highest count seen is the most nodes any client of the API could have seen taken out at once.
/// </summary>
public sealed class OutOfServiceSampler : IAsyncDisposable
{
    private readonly Dictionary<string, bool> _out = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everCordoned = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private OutOfServiceSampler(IKubernetes client) => _watch = Task.Run(() => WatchAsync(client));

    public static async Task<OutOfServiceSampler> StartAsync(IKubernetes client, int expectedNodes)
    {
        var sampler = new OutOfServiceSampler(client);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.Known >= expectedNodes), "the node watch reported every node");
        return sampler;
    }

    public int Max { get { lock (_out) return _maxValue; } }
    public IReadOnlySet<string> EverCordoned { get { lock (_out) return _everCordoned.ToHashSet(); } }
    private int Known { get { lock (_out) return _out.Count; } }
    private int _maxValue;

    private async Task WatchAsync(IKubernetes client)
    {
        await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(cancellationToken: _stop.Token))
        {
            lock (_out)
            {
                var name = node.Metadata.Name;
                if (type == WatchEventType.Deleted)
                {
                    _out.Remove(name);
                    continue;
                }
                var labels = node.Metadata.Labels;
                var cordoned = node.Spec?.Unschedulable == true;
                if (cordoned) _everCordoned.Add(name);
                _out[name] = cordoned || labels?.ContainsKey(WellKnown.Labels.Upgrading) == true || labels?.ContainsKey(WellKnown.Labels.Configuring) == true;
                _maxValue = Math.Max(_maxValue, _out.Values.Count(v => v));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _watch; }
        catch (OperationCanceledException) { }
        catch (HttpRequestException) { }
        _stop.Dispose();
    }
}
