using KubeOS.Api.Models;

namespace KubeOS.Api.Planning;

/// <summary>
/// Forecasts a rollout without acting: replays the operator's rules — candidates out of service first, then by name;
/// maxunavailable (integer or percentage); at most N per topology value; stages that start only once the previous
/// one finished and baked; serial batches done one node at a time — assuming each batch finishes in the measured time
/// per node. Pure: the same cluster gives the same plan, so the plan can be compared with what the operator did.
/// </summary>
public static class UpgradePlanner
{
    public static UpgradePlan Plan(OS os, IReadOnlyList<PlanNode> nodes, DurationEstimate durations, DateTimeOffset now,
        IReadOnlyList<PlanBudget>? budgets = null)
    {
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(durations);
        var spec = os.Spec ?? new OSSpec();
        var mode = spec.ExecutionMode ?? WellKnown.Defaults.ExecutionMode;
        var selected = nodes.Count;
        var maxUnavailable = Math.Min(spec.MaxUnavailable?.Resolve(selected) ?? 0, selected);
        int Count(PlanNodeState s) => nodes.Count(n => n.State == s);

        var serial = mode == WellKnown.ExecutionModes.Serial;
        // The operator's candidate order: in parallel mode nodes already out of service first (they cost no slot).
        var pending = nodes.Where(n => n.State == PlanNodeState.Pending)
            .OrderBy(n => !serial && n.OutOfService ? 0 : 1).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        var started = nodes.Count(n => n.Started);
        var stages = StageBoundaries.Of(spec.Stages, started + pending.Count);
        var topology = TopologyLimits.Of(spec.TopologyLimit, nodes);
        var running = nodes.Where(n => n.State == PlanNodeState.InOperation).ToList();

        var batches = new List<PlanBatch>();
        var clock = TimeSpan.Zero;
        var perNode = durations.PerNode;
        var previousStage = -1;
        while (pending.Count > 0 && maxUnavailable > 0)
        {
            var first = batches.Count == 0;
            var stage = stages.StageOf(started);
            var atBoundary = stage > 0 && started == stages.StartOf(stage) && (stage != previousStage);
            var bake = atBoundary ? stages.Bakes[stage - 1] : TimeSpan.Zero;
            var alreadyOut = first ? nodes.Where(n => n.State == PlanNodeState.InOperation || n.OutOfService).ToList() : [];
            var limit = maxUnavailable - (serial ? 0 : alreadyOut.Count);
            var freeWaiting = !serial && pending.Any(n => n.OutOfService);
            if (first && running.Count > 0 && (atBoundary || serial || limit <= 0 && !freeWaiting))
            {
                // The nodes in operation finish first (a stage boundary, a serial batch, or no free slot).
                clock += perNode;
                alreadyOut = alreadyOut.Where(n => n.State != PlanNodeState.InOperation).ToList();
                limit = maxUnavailable - (serial ? 0 : alreadyOut.Count);
            }
            else if (first && atBoundary && BakeLeftAfter(nodes, stages.Bakes[stage - 1], now) is { } left)
            {
                bake = left;
            }
            previousStage = stage;
            var room = stages.Ends[stage] - started;

            var taken = new List<PlanNode>();
            var costly = 0;
            var perValue = topology.StartBatch(alreadyOut);
            foreach (var node in pending)
            {
                if (taken.Count >= room) break;
                var free = !serial && node.OutOfService;
                if (!free && costly >= limit) { if (serial) break; continue; }
                if (!free && !perValue.TryTake(node)) continue;
                taken.Add(node);
                if (!free) costly++;
            }
            if (taken.Count == 0) taken.Add(pending[0]); // whatever held it (a zone at its limit) frees up once the nodes out now finish

            clock += bake;
            var duration = serial ? perNode * taken.Count : perNode;
            batches.Add(new PlanBatch(batches.Count + 1, stages.Name(stage), taken.Select(n => n.Name).ToList(), clock, duration, bake));
            clock += duration;
            foreach (var node in taken) pending.Remove(node);
            started += taken.Count;
        }

        var eta = batches.Count == 0 && running.Count > 0 ? perNode : clock;
        return new UpgradePlan(
            $"{os.Metadata?.Namespace ?? "default"}/{os.Metadata?.Name}", spec.OpsType ?? "", spec.OSVersion, mode, maxUnavailable,
            selected, Count(PlanNodeState.Done), Count(PlanNodeState.InOperation), Count(PlanNodeState.Pending),
            Count(PlanNodeState.Failed), Count(PlanNodeState.Skipped), batches, Blockers(nodes, budgets ?? []),
            perNode, durations.Measured, durations.Phases, eta, now + eta);
    }

    /// <summary>The bake left now, counted from the latest finish of a node worked on for this target.</summary>
    private static TimeSpan? BakeLeftAfter(IReadOnlyList<PlanNode> nodes, TimeSpan bake, DateTimeOffset now)
    {
        var finishes = nodes.Where(n => n.Started && n.FinishedAt is not null).Select(n => n.FinishedAt!.Value).ToList();
        if (finishes.Count == 0) return null;
        var left = finishes.Max() + bake - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Budgets allowing no disruption that cover pods on nodes still to drain.</summary>
    private static List<PlanBlocker> Blockers(IReadOnlyList<PlanNode> nodes, IReadOnlyList<PlanBudget> budgets)
    {
        var toDrain = nodes.Where(n => n.State is PlanNodeState.Pending or PlanNodeState.InOperation).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return budgets.Where(b => b.DisruptionsAllowed <= 0)
            .Select(b => (Budget: b, Pods: b.Pods.Where(p => toDrain.Contains(p.Node)).ToList()))
            .Where(x => x.Pods.Count > 0)
            .Select(x => new PlanBlocker($"{x.Budget.Namespace}/{x.Budget.Name}", x.Budget.DisruptionsAllowed,
                x.Pods.Select(p => $"{p.Namespace}/{p.Name}").ToList(),
                x.Pods.Select(p => p.Node).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(b => b.Budget, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>spec.topologylimit applied to a set of nodes: the limit per label value, counting the nodes already out.</summary>
public sealed class TopologyLimits
{
    private readonly string? _key;
    private readonly Dictionary<string, int> _limits;

    private TopologyLimits(string? key, Dictionary<string, int> limits)
    {
        _key = key;
        _limits = limits;
    }

    public static TopologyLimits Of(TopologyLimit? limit, IEnumerable<PlanNode> nodes)
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        if (limit?.Key is { } key)
            foreach (var group in nodes.Where(n => n.Labels.ContainsKey(key)).GroupBy(n => n.Labels[key], StringComparer.Ordinal))
                limits[group.Key] = (limit.MaxUnavailable ?? 1).Resolve(group.Count());
        return new(limit?.Key, limits);
    }

    /// <summary>A counter for one batch, starting from the nodes out of service already.</summary>
    public Counter StartBatch(IEnumerable<PlanNode> alreadyOut) => new(this, alreadyOut);

    public sealed class Counter
    {
        private readonly TopologyLimits _limits;
        private readonly Dictionary<string, int> _out = new(StringComparer.Ordinal);

        internal Counter(TopologyLimits limits, IEnumerable<PlanNode> alreadyOut)
        {
            _limits = limits;
            if (limits._key is not { } key) return;
            foreach (var node in alreadyOut)
                if (node.Labels.TryGetValue(key, out var value)) _out[value] = _out.GetValueOrDefault(value) + 1;
        }

        public bool TryTake(PlanNode node)
        {
            if (_limits._key is not { } key || !node.Labels.TryGetValue(key, out var value)) return true;
            if (_out.GetValueOrDefault(value) >= _limits._limits.GetValueOrDefault(value, 1)) return false;
            _out[value] = _out.GetValueOrDefault(value) + 1;
            return true;
        }
    }
}
