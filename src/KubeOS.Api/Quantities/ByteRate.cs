using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeOS.Api.Quantities;

/// <summary>
/// A bandwidth in bytes per second written as a Kubernetes quantity without fractions: a whole number with an optional
/// binary (Ki, Mi, Gi, Ti) or decimal (k, M, G, T) suffix, e.g. <c>50Mi</c> = 52428800.
/// </summary>
public static partial class ByteRate
{
    public static bool TryParse(string? text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        if (text is null) return false;
        var match = Quantity().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        long unit = match.Groups[2].Value switch
        {
            "" => 1,
            "k" => 1000, "M" => 1000_000, "G" => 1000_000_000, "T" => 1000_000_000_000,
            "Ki" => 1L << 10, "Mi" => 1L << 20, "Gi" => 1L << 30, "Ti" => 1L << 40,
            _ => 0,
        };
        if (unit == 0 || number > long.MaxValue / unit) return false;
        bytesPerSecond = number * unit;
        return bytesPerSecond > 0;
    }

    /// <summary>0 when absent or not parseable (validation reports the latter).</summary>
    public static long ParseOrZero(string? text) => TryParse(text, out var value) ? value : 0;

    [GeneratedRegex(@"^([0-9]{1,18})(k|M|G|T|Ki|Mi|Gi|Ti)?$")]
    private static partial Regex Quantity();
}
