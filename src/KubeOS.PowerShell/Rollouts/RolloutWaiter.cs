using System.Diagnostics;
using System.Management.Automation;
using KubeOS.Api.Models;
using KubeOS.Client;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Polls rollouts until no selected node has work left, writing one progress bar per rollout (nodes done of nodes
/// selected) and, under it, one per node in operation (its phase). For -Wait it runs on the pipeline thread (the only
/// one the engine lets write progress), for -AsJob on the job's thread, writing into the job's streams. A node that failed gives a non-terminating NodeOperationFailed; running out of time gives UpgradeTimedOut
/// naming the nodes not done. Either way the final states are returned.
/// </summary>
/// <param name="writeProgress">Where progress goes: the cmdlet's stream, or a job's.</param>
/// <param name="writeError">Where errors go.</param>
/// <param name="refresh">Reads the rollouts again (see <see cref="RefreshAsync"/>); failures end the wait.</param>
/// <param name="sleep">Waits between polls; cancellation ends the wait.</param>
internal sealed class RolloutWaiter(
    Action<ProgressRecord> writeProgress,
    Action<ErrorRecord> writeError,
    Func<IReadOnlyList<KubeOSUpgrade>, List<KubeOSUpgrade>> refresh,
    Action<TimeSpan> sleep)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private const int ActivityBase = 0x4B05;

    // Node bars keep one id per node name for the whole wait, so a node that comes back into operation reuses its bar.
    private readonly Dictionary<string, int> _nodeActivities = new(StringComparer.Ordinal);
    // Open bars and their activity: a Completed record repeats the activity it ends.
    private readonly Dictionary<int, (string Activity, int Parent)> _open = [];

    public IReadOnlyList<KubeOSUpgrade> Wait(IReadOnlyList<KubeOSUpgrade> rollouts, TimeSpan? timeout)
    {
        var clock = Stopwatch.StartNew();
        var current = rollouts.ToList();
        try
        {
            while (true)
            {
                current = refresh(current);
                for (var i = 0; i < current.Count; i++)
                {
                    Report(current[i], ActivityBase + i * 1000);
                }
                if (current.All(Finished)) break;
                if (timeout is { } limit && clock.Elapsed >= limit)
                {
                    foreach (var rollout in current.Where(r => !Finished(r)))
                    {
                        writeError(TimedOut(rollout, limit));
                    }
                    return current;
                }
                var left = timeout is { } t ? t - clock.Elapsed : PollInterval;
                sleep(left < PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : PollInterval);
            }
            foreach (var node in current.SelectMany(r => r.Nodes.Where(n => n.State == RolloutStates.Failed).Select(n => (r, n))))
            {
                writeError(NodeFailed(node.r, node.n));
            }
            return current;
        }
        finally
        {
            foreach (var (id, (activity, parent)) in _open.OrderByDescending(o => o.Key))
            {
                writeProgress(new ProgressRecord(id, activity, "Done") { ParentActivityId = parent, RecordType = ProgressRecordType.Completed });
            }
        }
    }

    /// <summary>Nothing left to wait for: every selected node is done, skipped or failed.</summary>
    private static bool Finished(KubeOSUpgrade r) => r.Pending == 0 && r.InOperation == 0;

    /// <summary>The rollouts as they are now; a deleted OS keeps its last known state, nothing will change it any more.</summary>
    public static async Task<List<KubeOSUpgrade>> RefreshAsync(KubeOSCluster cluster, IReadOnlyList<KubeOSUpgrade> rollouts, CancellationToken ct)
    {
        var state = await RolloutReader.ReadClusterAsync(cluster, ct).ConfigureAwait(false);
        var result = new List<KubeOSUpgrade>();
        foreach (var r in rollouts)
        {
            var os = await cluster.OS.GetAsync(r.Namespace, r.Name, ct).ConfigureAwait(false);
            result.Add(os is null ? r : RolloutReader.Describe(os, state));
        }
        return result;
    }

    private void Report(KubeOSUpgrade rollout, int parentId)
    {
        var activity = $"{Verb(rollout)} {rollout.Namespace}/{rollout.Name} to {rollout.Version}";
        var status = $"{rollout.Done} of {rollout.Selected} node(s) done, {rollout.InOperation} in operation, {rollout.Pending} pending" +
                     (rollout.Failed > 0 ? $", {rollout.Failed} failed" : "") + (rollout.Paused ? " (paused)" : "");
        var percent = rollout.Selected == 0 ? 100 : (rollout.Done + rollout.Failed + rollout.Skipped) * 100 / rollout.Selected;
        writeProgress(new ProgressRecord(parentId, activity, status) { PercentComplete = percent });
        _open[parentId] = (activity, -1);

        foreach (var node in rollout.Nodes)
        {
            if (!_nodeActivities.TryGetValue(node.Name, out var id))
            {
                id = parentId + 1 + _nodeActivities.Count;
                _nodeActivities[node.Name] = id;
            }
            if (node.State == RolloutStates.InOperation)
            {
                var phase = node.Phase ?? node.NodeStatus;
                var index = NodePhases.All.ToList().IndexOf(phase);
                writeProgress(new ProgressRecord(id, $"Node {node.Name}", $"{phase}: {node.Message ?? node.OSVersion}")
                {
                    ParentActivityId = parentId,
                    PercentComplete = index < 0 ? 0 : Math.Min(99, index * 100 / (NodePhases.All.Count - 2)),
                });
                _open[id] = ($"Node {node.Name}", parentId);
            }
            else if (_open.Remove(id))
            {
                writeProgress(new ProgressRecord(id, $"Node {node.Name}", node.State) { ParentActivityId = parentId, RecordType = ProgressRecordType.Completed });
            }
        }
    }

    private static string Verb(KubeOSUpgrade r) => r.OpsType switch
    {
        "rollback" => "Rolling back",
        "config" => "Configuring",
        _ => "Upgrading",
    };

    private static ErrorRecord TimedOut(KubeOSUpgrade rollout, TimeSpan limit)
    {
        var waiting = rollout.Nodes.Where(n => n.State is RolloutStates.Pending or RolloutStates.InOperation)
            .Select(n => $"{n.Name} ({n.State}{(n.Phase is null ? "" : ", " + n.Phase)}, on {n.OSVersion})").ToList();
        return ErrorRecords.Create(RolloutErrorIds.UpgradeTimedOut, ErrorCategory.OperationTimeout, rollout,
            $"{rollout.Namespace}/{rollout.Name} did not finish within {limit.TotalSeconds:0} s; node(s) not done: {string.Join(", ", waiting)}." +
            (rollout.Paused ? " The rollout is paused." : ""),
            rollout.Paused
                ? "Resume it with Resume-KubeOSUpgrade, then wait again with Wait-KubeOSUpgrade."
                : "Wait longer (Wait-KubeOSUpgrade -Timeout), or look at the nodes' Phase and Message with Get-KubeOSUpgrade.");
    }

    private static ErrorRecord NodeFailed(KubeOSUpgrade rollout, KubeOSUpgradeNode node) =>
        ErrorRecords.Create(RolloutErrorIds.NodeOperationFailed, ErrorCategory.InvalidResult, node,
            $"Node {node.Name} failed {rollout.OpsType} to {rollout.Version} ({rollout.Namespace}/{rollout.Name}): {node.Message}",
            "Fix the cause named in the message, then change the target (a new version or config version) to try the node again.");
}
