using Xunit;
using k8s;
using k8s.Models;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// Watches Nodes and, on every watch event, counts the nodes carrying a label: the highest count seen is the most
/// nodes that were ever taken out of service at once, as any client of the API could have observed it.
/// </summary>
public sealed class LabelSampler : IAsyncDisposable
{
    private readonly Dictionary<string, bool> _labelled = new(StringComparer.Ordinal);
    private readonly List<string> _assignmentOrder = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private readonly string _label;

    private LabelSampler(IKubernetes client, string label)
    {
        _label = label;
        _watch = Task.Run(() => WatchAsync(client));
    }

    public static async Task<LabelSampler> StartAsync(IKubernetes client, string label, int expectedNodes)
    {
        var sampler = new LabelSampler(client, label);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.Known >= expectedNodes), "the node watch reported every node");
        return sampler;
    }

    public int Events { get; private set; }
    public int Max { get; private set; }
    private int Known { get { lock (_labelled) return _labelled.Count; } }

    /// <summary>Nodes in the order the label first appeared on them.</summary>
    public IReadOnlyList<string> AssignmentOrder { get { lock (_labelled) return _assignmentOrder.ToList(); } }

    private async Task WatchAsync(IKubernetes client)
    {
        await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(cancellationToken: _stop.Token))
        {
            lock (_labelled)
            {
                var name = node.Metadata.Name;
                var now = type != WatchEventType.Deleted && node.Metadata.Labels?.ContainsKey(_label) == true;
                if (now && !(_labelled.TryGetValue(name, out var before) && before)) _assignmentOrder.Add(name);
                if (type == WatchEventType.Deleted) _labelled.Remove(name);
                else _labelled[name] = now;
                Events++;
                Max = Math.Max(Max, _labelled.Values.Count(v => v));
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
