namespace KubeOS.Api.Selectors;

/// <summary>
/// An equality-based label selector in kubectl's syntax: comma-separated <c>key=value</c>, <c>key==value</c>,
/// <c>key!=value</c>, <c>key</c> (exists) and <c>!key</c> (does not exist). All requirements must hold.
/// </summary>
public sealed class PodSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private PodSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses the text; on failure returns null and a message saying which part is wrong.</summary>
    public static PodSelector? TryParse(string? text, out string? error)
    {
        error = null;
        var requirements = new List<Requirement>();
        foreach (var raw in (text ?? "").Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                if ((text ?? "").Trim().Length == 0) break;
                error = "has an empty requirement (two commas, or a comma at the end)";
                return null;
            }
            Requirement requirement;
            if (part.Contains("!=", StringComparison.Ordinal))
                requirement = new(Key(part[..part.IndexOf("!=", StringComparison.Ordinal)]), Op.NotEquals, part[(part.IndexOf("!=", StringComparison.Ordinal) + 2)..].Trim());
            else if (part.Contains("==", StringComparison.Ordinal))
                requirement = new(Key(part[..part.IndexOf("==", StringComparison.Ordinal)]), Op.Equals, part[(part.IndexOf("==", StringComparison.Ordinal) + 2)..].Trim());
            else if (part.Contains('='))
                requirement = new(Key(part[..part.IndexOf('=')]), Op.Equals, part[(part.IndexOf('=') + 1)..].Trim());
            else if (part.StartsWith('!'))
                requirement = new(Key(part[1..]), Op.DoesNotExist, "");
            else
                requirement = new(Key(part), Op.Exists, "");
            if (!ValidKey(requirement.Key) || !ValidValue(requirement.Value))
            {
                error = $"has an invalid requirement '{part}': keys are [prefix/]name of letters, digits, '-', '_', '.'; values at most 63 of the same";
                return null;
            }
            requirements.Add(requirement);
        }
        return new PodSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels is not null && labels.TryGetValue(r.Key, out var value);
            value = has ? labels![r.Key] : null;
            var ok = r.Operator switch
            {
                Op.Equals => has && value == r.Value,
                Op.NotEquals => !has || value != r.Value,
                Op.Exists => has,
                _ => !has,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static string Key(string text) => text.Trim();

    private static bool ValidKey(string key)
    {
        if (key.Length == 0) return false;
        var slash = key.IndexOf('/');
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        var prefix = slash >= 0 ? key[..slash] : "";
        if (slash >= 0 && (prefix.Length == 0 || prefix.Length > 253 || !prefix.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.'))) return false;
        return name.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) &&
               name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');
    }

    private static bool ValidValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]) &&
                              value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'));

    private enum Op { Equals, NotEquals, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Operator, string Value);
}
