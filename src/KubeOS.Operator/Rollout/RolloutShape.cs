using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Planning;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// The optional limits beyond KubeOS on which nodes a round may start: maxunavailable as a percentage, at most N nodes
/// out per topology value, and stages with a bake time between them. Pure; built once per round from the cluster view,
/// then asked node by node. With none of the fields set it admits every node and <see cref="MaxUnavailable"/> is the
/// integer KubeOS reads, so a plain KubeOS manifest decides exactly as before.
/// </summary>
/// <remarks>
/// Stage progress is read from the cluster, never kept in memory, so a restarted operator continues in the same
/// stage: a node has started when it is assigned or its OSInstance records an operation towards this OS's target; a
/// stage ends when its last node finished (Succeeded or Failed) and then bakes for its bake time, counted from the
/// latest finish, before the next stage may start. Nodes without the topology label are not limited per topology.
/// </remarks>
public sealed class RolloutShape
{
    private readonly Dictionary<string, int> _outPerValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _limitPerValue = new(StringComparer.Ordinal);
    private readonly string? _topologyKey;
    private int _allowance;

    private RolloutShape(int maxUnavailable, string? topologyKey, int allowance, StageProgress stage)
    {
        MaxUnavailable = maxUnavailable;
        _topologyKey = topologyKey;
        _allowance = allowance;
        Stage = stage;
    }

    /// <summary>spec.maxunavailable resolved against the selected nodes, at most their number.</summary>
    public int MaxUnavailable { get; }

    public StageProgress Stage { get; }

    /// <param name="isOut">The node counts as out of service (assigned, cordoned or not Ready).</param>
    /// <param name="isAssigned">The node carries the operation (label or a non-idle OSInstance).</param>
    public static RolloutShape Of(ClusterView view, IReadOnlyList<NodeView> scope, Func<NodeView, bool> isOut, Func<NodeView, bool> isAssigned)
    {
        var spec = view.Target.Spec ?? new OSSpec();
        var max = ResolveMaxUnavailable(spec, scope.Count);
        var stage = StageProgress.Read(view, scope, isAssigned);
        var shape = new RolloutShape(max, spec.TopologyLimit?.Key, stage.Allowance, stage);
        if (shape._topologyKey is { } key)
        {
            foreach (var group in scope.Where(n => n.Labels.ContainsKey(key)).GroupBy(n => n.Labels[key], StringComparer.Ordinal))
            {
                shape._limitPerValue[group.Key] = (spec.TopologyLimit!.MaxUnavailable ?? 1).Resolve(group.Count());
                shape._outPerValue[group.Key] = group.Count(isOut);
            }
        }
        return shape;
    }

    public static int ResolveMaxUnavailable(OSSpec spec, int inScope) => Math.Min(spec.MaxUnavailable?.Resolve(inScope) ?? 0, inScope);

    /// <summary>
    /// Whether the node may start now; if so it is counted. <paramref name="alreadyOut"/>: it is out of service already
    /// (cordoned by hand), so it takes no topology slot — but it does take a place in its stage.
    /// </summary>
    public bool TryTake(NodeView node, bool alreadyOut)
    {
        if (_allowance <= 0) return false;
        string? value = null;
        if (!alreadyOut && _topologyKey is { } key && node.Labels.TryGetValue(key, out value) &&
            _outPerValue.GetValueOrDefault(value) >= _limitPerValue.GetValueOrDefault(value, 1))
            return false;
        if (value is not null) _outPerValue[value] = _outPerValue.GetValueOrDefault(value) + 1;
        _allowance--;
        return true;
    }

    /// <summary>How many more nodes the current stage lets start (int.MaxValue without stages).</summary>
    public int Allowance => _allowance;

    /// <summary>The round's requeue: the usual interval, or sooner when a bake ends before it.</summary>
    public TimeSpan Requeue(TimeSpan interval, DateTimeOffset now) =>
        Stage.BakeUntil is { } until && until > now && until - now < interval ? until - now : interval;
}

/// <summary>
/// Where a staged rollout stands: the stage the next node belongs to, how many may start in it now, and until when the
/// previous stage bakes. Read from the cluster (see <see cref="RolloutShape"/>).
/// </summary>
public sealed record StageProgress(int Stage, int Stages, int Total, int Started, int Allowance, DateTimeOffset? BakeUntil, string Description)
{
    public static StageProgress Read(ClusterView view, IReadOnlyList<NodeView> scope, Func<NodeView, bool> isAssigned)
    {
        var os = view.Target;
        var spec = os.Spec ?? new OSSpec();
        var started = new List<NodeView>();
        var pending = 0;
        foreach (var node in scope)
        {
            var osi = view.InstanceOf(node.Name);
            if (osi is null) continue;
            if (isAssigned(node) || Touched(os, osi)) started.Add(node);
            else if (!view.Failed.Contains(node.Name) && NodeScope.NeedsOperation(os, node, osi)) pending++;
        }
        var total = started.Count + pending;
        if (spec.Stages is not { Count: > 0 })
            return new(0, 1, total, started.Count, int.MaxValue, null, "no stages");

        var bounds = StageBoundaries.Of(spec.Stages, total);
        var stage = bounds.StageOf(started.Count);
        var name = bounds.Name(stage);
        var start = bounds.StartOf(stage);
        var room = Math.Max(0, bounds.Ends[stage] - started.Count);
        if (stage == 0 || started.Count > start || room == 0)
            return new(stage, bounds.Count, total, started.Count, room, null, $"{name}: {started.Count - start} started");

        // At a boundary: the previous stage must have finished, then baked.
        var running = started.Count(n => isAssigned(n));
        if (running > 0)
            return new(stage, bounds.Count, total, started.Count, 0, null,
                $"{name} waits for {running} node(s) of stage {stage} to finish");
        var finished = started.Select(n => FinishedAt(view.InstanceOf(n.Name)!)).Where(t => t is not null).Max();
        var until = (finished ?? view.Now) + bounds.Bakes[stage - 1];
        if (view.Now < until)
            return new(stage, bounds.Count, total, started.Count, 0, until,
                $"stage {stage} finished; baking until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} before {name}");
        return new(stage, bounds.Count, total, started.Count, room, null, $"{name}: starting");
    }

    /// <summary>The OSInstance records an operation towards this OS's current target (in any phase).</summary>
    public static bool Touched(OS os, OSInstance osi)
    {
        if (osi.Status?.Operation is not { } op) return false;
        var spec = os.Spec ?? new OSSpec();
        return op.OS?.Name == os.Metadata?.Name &&
               (op.OS?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default") &&
               op.OpsType == spec.OpsType && op.TargetVersion == spec.OSVersion &&
               (spec.OpsType != WellKnown.OpsTypes.Config || (op.ConfigVersion ?? "") == NodeScope.VersionOf(spec.SysConfigs));
    }

    /// <summary>When the node's last operation ended: the proxy restarts the phase clock when it releases the node.</summary>
    public static DateTimeOffset? FinishedAt(OSInstance osi) =>
        NodePhases.IsTerminal(osi.Status?.Phase) ? osi.Status?.Operation?.PhaseStartedAt : null;
}
