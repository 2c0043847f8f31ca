using KubeOS.Api.Models;

namespace KubeOS.Api.Planning;

/// <summary>
/// spec.stages resolved against how many nodes the rollout changes: each stage's cumulative end and the bake after it.
/// A stage takes <c>nodes</c> or <c>percent</c> (rounded down, at least 1) more nodes; what is left after the listed
/// stages forms a final stage. Without stages the whole rollout is one stage.
/// </summary>
public sealed record StageBoundaries(IReadOnlyList<int> Ends, IReadOnlyList<TimeSpan> Bakes, bool Explicit)
{
    public static StageBoundaries Of(IReadOnlyList<RolloutStage>? stages, int total)
    {
        var ends = new List<int>();
        var bakes = new List<TimeSpan>();
        var end = 0;
        foreach (var stage in stages ?? [])
        {
            if (end >= total) break;
            var size = stage.Nodes ?? (IntOrPercent.TryParse(stage.Percent) is { IsPercent: true } p ? p.Resolve(total) : 1);
            end = Math.Min(total, end + Math.Max(1, size));
            ends.Add(end);
            bakes.Add(TimeSpan.FromSeconds(Math.Max(0, stage.Bake ?? 0)));
        }
        if (end < total || ends.Count == 0)
        {
            ends.Add(total);
            bakes.Add(TimeSpan.Zero);
        }
        return new(ends, bakes, stages is { Count: > 0 });
    }

    public int Count => Ends.Count;

    /// <summary>The stage the next node to start belongs to, after <paramref name="started"/> nodes started.</summary>
    public int StageOf(int started)
    {
        for (var i = 0; i < Ends.Count; i++)
            if (started < Ends[i]) return i;
        return Ends.Count - 1;
    }

    public int StartOf(int stage) => stage == 0 ? 0 : Ends[stage - 1];

    /// <summary>"canary (1 node)", "stage 2 of 3 (1 node)", "all (6 nodes)".</summary>
    public string Name(int stage)
    {
        var size = Ends[stage] - StartOf(stage);
        var nodes = size == 1 ? "1 node" : $"{size} nodes";
        if (!Explicit) return $"all ({nodes})";
        return stage == 0 && size == 1 ? $"canary ({nodes})" : $"stage {stage + 1} of {Count} ({nodes})";
    }
}
