using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Selectors;

/// <summary>
/// A label selector: either parsed from the ?labelSelector= query string syntax (=, ==, !=, in, notin, exists, !exists)
/// or built from a metav1.LabelSelector (matchLabels, matchExpressions) as PDBs and ReplicaSets carry it.
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }
    private sealed record Requirement(string Key, Op Operator, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;
    private readonly bool _matchesNothing;

    private LabelSelector(List<Requirement> requirements, bool matchesNothing = false)
    {
        _requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    public static LabelSelector Everything { get; } = new([]);
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);
    public bool IsEverything => !_matchesNothing && _requirements.Count == 0;

    public bool Matches(JsonObject? labels)
    {
        if (_matchesNothing) return false;
        foreach (var r in _requirements)
        {
            var has = labels is not null && labels.TryGetPropertyValue(r.Key, out var v) && v is not null;
            var value = has ? labels![r.Key]!.ToString() : null;
            var ok = r.Operator switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public bool MatchesObject(JsonObject obj) => Matches(obj["metadata"]?["labels"] as JsonObject);

    /// <summary>metav1.LabelSelector semantics: a null selector matches nothing, an empty one everything.</summary>
    public static LabelSelector FromApiSelector(JsonNode? selector)
    {
        if (selector is not JsonObject sel) return Nothing;
        var reqs = new List<Requirement>();
        if (sel["matchLabels"] is JsonObject ml)
            foreach (var (k, v) in ml) reqs.Add(new Requirement(k, Op.Equals, [v?.ToString() ?? ""]));
        if (sel["matchExpressions"] is JsonArray me)
        {
            foreach (var e in me.OfType<JsonObject>())
            {
                var key = e["key"]?.ToString() ?? "";
                var values = (e["values"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList() ?? [];
                var op = e["operator"]?.ToString() switch
                {
                    "In" => Op.In, "NotIn" => Op.NotIn, "Exists" => Op.Exists, "DoesNotExist" => Op.DoesNotExist,
                    var other => throw ApiError.BadRequest($"\"{other}\" is not a valid label selector operator"),
                };
                reqs.Add(new Requirement(key, op, values));
            }
        }
        return new LabelSelector(reqs);
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var reqs = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) continue;
            reqs.Add(ParseRequirement(p, text));
        }
        return new LabelSelector(reqs);
    }

    private static Requirement ParseRequirement(string p, string whole)
    {
        if (p.StartsWith('!')) return new Requirement(ValidKey(p[1..].Trim(), whole), Op.DoesNotExist, []);
        var setMatch = System.Text.RegularExpressions.Regex.Match(p, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            if (values.Count == 0) throw Unparsable(whole, "for 'in', 'notin' operators, values set can't be empty");
            return new Requirement(ValidKey(setMatch.Groups[1].Value, whole),
                setMatch.Groups[2].Value == "in" ? Op.In : Op.NotIn, values);
        }
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var i = p.IndexOf(token, StringComparison.Ordinal);
            if (i > 0) return new Requirement(ValidKey(p[..i].Trim(), whole), op, [p[(i + token.Length)..].Trim()]);
        }
        if (p.Contains(' ') || p.Contains('(')) throw Unparsable(whole, $"unable to parse requirement: {p}");
        return new Requirement(ValidKey(p, whole), Op.Exists, []);
    }

    private static string ValidKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
            throw Unparsable(whole, $"invalid label key \"{key}\"");
        return key;
    }

    private static ApiError Unparsable(string whole, string why) =>
        ApiError.BadRequest($"unable to parse requirement: {why} (in labelSelector \"{whole}\")");

    /// <summary>Splits on commas that are not inside an in/notin value set.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
