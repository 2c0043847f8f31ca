using System.Diagnostics;

namespace KubeOS.PowerShell.Benchmarks;

/// <summary>Medians of repeated runs, in milliseconds.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One warm-up run, then the median of <paramref name="runs"/> timed ones.</summary>
    public static double MedianMs(int runs, Action action)
    {
        action();
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Median(samples);
    }
}
