using KubeOS.Api.Models;

namespace KubeOS.Operator.Reconcile;

/// <summary>
/// Keeps assignment rounds of one OS at least spec.timeinterval apart, as KubeOS paces them, although watch events
/// wake the loop sooner. Only pacing lives here: losing it on restart merely
/// allows one early round, never more than maxunavailable nodes, which the planner derives from the cluster.
/// </summary>
public sealed class AssignmentPacer
{
    private readonly Dictionary<string, (long? Generation, DateTimeOffset NotBefore)> _next = new(StringComparer.Ordinal);

    /// <summary>When the OS may get its next assignments; a changed spec (generation) is not held back.</summary>
    public DateTimeOffset DueAt(OS os)
    {
        lock (_next)
        {
            return _next.TryGetValue(Key(os), out var entry) && entry.Generation == os.Metadata?.Generation ? entry.NotBefore : DateTimeOffset.MinValue;
        }
    }

    public void Assigned(OS os, DateTimeOffset now, TimeSpan gap)
    {
        lock (_next) _next[Key(os)] = (os.Metadata?.Generation, now + gap);
    }

    public void Forget(IEnumerable<OS> live)
    {
        lock (_next)
        {
            var keep = live.Select(Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in _next.Keys.Where(k => !keep.Contains(k)).ToList()) _next.Remove(key);
        }
    }

    private static string Key(OS os) => os.Metadata?.Uid ?? $"{os.Metadata?.Namespace}/{os.Metadata?.Name}";
}
