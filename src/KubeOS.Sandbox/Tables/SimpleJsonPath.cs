using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeOS.Sandbox.Tables;

/// <summary>
/// The subset of Kubernetes JSONPath used by CRD additionalPrinterColumns: `.a.b`, `.a[0]`, `.a[*]`,
/// `.a[?(@.type=="Ready")].status`, with `\.` escaping dots inside keys.
/// </summary>
public static partial class SimpleJsonPath
{
    public static IReadOnlyList<JsonNode> Evaluate(JsonNode root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}')) p = p[1..^1];
        if (p.StartsWith('$')) p = p[1..];
        var current = new List<JsonNode> { root };
        foreach (var step in Steps(p))
        {
            var next = new List<JsonNode>();
            foreach (var node in current)
            {
                if (step.Field is { } field)
                {
                    if (node is JsonObject o && o[field] is { } v) next.Add(v);
                }
                else if (node is JsonArray a)
                {
                    if (step.Index is { } i)
                    {
                        var idx = i < 0 ? a.Count + i : i;
                        if (idx >= 0 && idx < a.Count && a[idx] is { } v) next.Add(v);
                    }
                    else if (step.FilterKey is { } key)
                    {
                        next.AddRange(a.OfType<JsonObject>().Where(e => e[key]?.ToString() == step.FilterValue));
                    }
                    else next.AddRange(a.Where(e => e is not null)!);
                }
            }
            current = next;
        }
        return current;
    }

    private sealed record Step(string? Field, int? Index, string? FilterKey, string? FilterValue);

    private static IEnumerable<Step> Steps(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                var sb = new System.Text.StringBuilder();
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    if (path[i] == '\\' && i + 1 < path.Length) i++;
                    sb.Append(path[i++]);
                }
                if (sb.Length > 0) yield return new Step(sb.ToString(), null, null, null);
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) yield break;
                var inner = path[(i + 1)..end];
                i = end + 1;
                var filter = FilterPattern().Match(inner);
                if (filter.Success) yield return new Step(null, null, filter.Groups[1].Value, filter.Groups[2].Value);
                else if (int.TryParse(inner, out var idx)) yield return new Step(null, idx, null, null);
                else if (inner.Trim('\'', '"') is var key && inner.StartsWith('\'')) yield return new Step(key, null, null, null);
                else yield return new Step(null, null, null, null);
            }
            else i++;
        }
    }

    [GeneratedRegex("""^\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)$""")]
    private static partial Regex FilterPattern();
}
