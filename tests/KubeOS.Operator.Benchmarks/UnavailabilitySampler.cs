using k8s;
using k8s.Models;
using KubeOS.Api;

namespace KubeOS.Operator.Benchmarks;

/// <summary>
/// Watches every Node and, on each watch event, counts the nodes out of service (cordoned, labelled upgrading, or not
/// Ready) and the nodes finished (on the target version, schedulable, unlabelled). Every event is a sample, so the
/// highest count is the most nodes any API client could have seen out at once.
/// </summary>
public sealed class UnavailabilitySampler : IAsyncDisposable
{
    private readonly Dictionary<string, (bool Out, bool Done)> _nodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _target;
    private readonly int _expected;
    private readonly int _limit;
    private readonly Task _watch;
    private int _outNow;
    private int _doneNow;

    public UnavailabilitySampler(IKubernetes client, string target, int expected, int limit)
    {
        _target = target;
        _expected = expected;
        _limit = limit;
        _watch = Task.Run(() => WatchAsync(client));
    }

    public int Max { get; private set; }
    public long Violations { get; private set; }
    public long Events { get; private set; }
    public int Known { get { lock (_nodes) return _nodes.Count; } }
    public int Done { get { lock (_nodes) return _doneNow; } }

    /// <summary>Completes when every expected node is finished.</summary>
    public Task AllDone => _allDone.Task;

    private async Task WatchAsync(IKubernetes client)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(timeoutSeconds: 3600, cancellationToken: _stop.Token))
                    Sample(type, node);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException) when (!_stop.IsCancellationRequested)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Sample(WatchEventType type, V1Node node)
    {
        if (node.Metadata.Labels?.ContainsKey(WellKnown.Labels.ControlPlane) == true) return;
        lock (_nodes)
        {
            Events++;
            var name = node.Metadata.Name;
            if (_nodes.TryGetValue(name, out var before))
            {
                if (before.Out) _outNow--;
                if (before.Done) _doneNow--;
            }
            if (type == WatchEventType.Deleted)
            {
                _nodes.Remove(name);
                return;
            }
            var labels = node.Metadata.Labels;
            var cordoned = node.Spec?.Unschedulable == true;
            var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
            var labelled = labels?.ContainsKey(WellKnown.Labels.Upgrading) == true;
            var outOfService = cordoned || labelled || !ready;
            var done = !outOfService && node.Status?.NodeInfo?.OsImage == _target;
            _nodes[name] = (outOfService, done);
            if (outOfService) _outNow++;
            if (done) _doneNow++;
            Max = Math.Max(Max, _outNow);
            if (_outNow > _limit) Violations++;
            if (_doneNow >= _expected) _allDone.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _watch; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
