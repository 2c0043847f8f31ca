using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeOS.Api.Serialization;

/// <summary>
/// Resolves untagged plain YAML scalars the way kubectl's YAML reader does (YAML 1.1 rules of go-yaml v2:
/// <c>yes</c>/<c>on</c>/<c>y</c> are booleans), so a manifest means here what it means to the cluster.
/// </summary>
internal static partial class YamlScalars
{
    private static readonly HashSet<string> Nulls = ["", "~", "null", "Null", "NULL"];
    private static readonly HashSet<string> Trues = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
    private static readonly HashSet<string> Falses = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];

    public static JsonNode? Resolve(string text)
    {
        if (Nulls.Contains(text)) return null;
        if (Trues.Contains(text)) return JsonValue.Create(true);
        if (Falses.Contains(text)) return JsonValue.Create(false);
        if (DecimalInt().IsMatch(text))
        {
            var clean = text.Replace("_", "");
            if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
            if (double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var big)) return JsonValue.Create(big);
        }
        if (HexInt().IsMatch(text) &&
            long.TryParse(text.Replace("_", "").Replace("0x", ""), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (Float().IsMatch(text) &&
            double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    /// <summary>True when a string written plain would be read back as something other than that string.</summary>
    public static bool NeedsQuotes(string text) =>
        Nulls.Contains(text) || Trues.Contains(text) || Falses.Contains(text) || DecimalInt().IsMatch(text) ||
        HexInt().IsMatch(text) || Float().IsMatch(text) || SpecialFloat().IsMatch(text) ||
        text.Trim() != text || text.StartsWith('0') && OctalLike().IsMatch(text);

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^0x[0-9a-fA-F_]+$")]
    private static partial Regex HexInt();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.?[0-9_]*([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$")]
    private static partial Regex SpecialFloat();

    [GeneratedRegex(@"^0[0-9_]+$")]
    private static partial Regex OctalLike();
}
