using KubeOS.Api.Models;

namespace KubeOS.Api.Planning;

/// <summary>
/// How long one node's operation takes, measured from the history the proxies record on OSInstances (successful
/// operations of the same opstype), or <see cref="DefaultPerNode"/> when no node has finished one yet.
/// </summary>
public sealed record DurationEstimate(TimeSpan PerNode, bool Measured, IReadOnlyDictionary<string, TimeSpan> Phases, int Samples)
{
    /// <summary>Without measurements: five minutes a node, the figure operators of comparable systems plan with.</summary>
    public static readonly TimeSpan DefaultPerNode = TimeSpan.FromMinutes(5);

    public static DurationEstimate From(IEnumerable<NodeHistoryEntry> history, string? opsType)
    {
        var done = history.Where(h => h.Result == NodePhases.Succeeded && h.OpsType == opsType &&
                                      h.StartedAt is not null && h.FinishedAt is not null && h.FinishedAt >= h.StartedAt).ToList();
        if (done.Count == 0) return new(DefaultPerNode, false, new Dictionary<string, TimeSpan>(), 0);
        var perNode = TimeSpan.FromSeconds(done.Average(h => (h.FinishedAt!.Value - h.StartedAt!.Value).TotalSeconds));
        var phases = done.SelectMany(h => h.PhaseDurations ?? [])
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => TimeSpan.FromSeconds(g.Average(p => p.Value)), StringComparer.Ordinal);
        return new(perNode, true, phases, done.Count);
    }
}
