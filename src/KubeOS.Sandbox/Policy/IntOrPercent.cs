using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Policy;

/// <summary>intstr.GetScaledValueFromIntOrPercent: an integer as is, a percentage of total rounded as asked.</summary>
public static class IntOrPercent
{
    public static int Scaled(JsonNode value, int total, bool roundUp)
    {
        if (value is JsonValue v && v.TryGetValue<int>(out var i)) return i;
        var s = value.ToString();
        if (s.EndsWith('%') && int.TryParse(s[..^1], out var pct))
        {
            var exact = pct * (double)total / 100;
            return roundUp ? (int)Math.Ceiling(exact) : (int)Math.Floor(exact);
        }
        if (int.TryParse(s, out var n)) return n;
        throw new FormatException($"invalid value for IntOrString: invalid type: string is not a percentage: \"{s}\"");
    }

    public static bool IsPercent(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out var s) && s.EndsWith('%');
}
