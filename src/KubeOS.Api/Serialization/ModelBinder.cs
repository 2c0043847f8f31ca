using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Serialization;

/// <summary>
/// Binds a JSON tree to a model and reports every value of the wrong type, not just the first: System.Text.Json stops
/// at the first mismatch, so each offending value is recorded, taken out of a copy of the tree, and binding retried.
/// </summary>
internal static partial class ModelBinder
{
    private const int MaxAttempts = 64;

    public static (object? Value, List<ValidationProblem> Problems) Bind(JsonNode node, JsonTypeInfo typeInfo)
    {
        var problems = new List<ValidationProblem>();
        var work = node.DeepClone();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                return (work.Deserialize(typeInfo), problems);
            }
            catch (JsonException e)
            {
                var segments = ParsePath(e.Path ?? "$");
                var path = ToFieldPath(segments);
                var (parent, bad) = Navigate(work, segments);
                problems.Add(new ValidationProblem(path,
                    $"must be {ExpectedType(e.Message)}, got {ManifestSerializer.Describe(bad)}",
                    $"Write {path} as {ExpectedType(e.Message)}.", ErrorIds.InvalidType));
                if (segments.Count == 0 || parent is null || !Remove(parent, segments[^1])) return (null, problems);
            }
        }
        return (null, problems);
    }

    private static string ExpectedType(string message)
    {
        if (message.StartsWith("must be ", StringComparison.Ordinal)) // our own converters say what they need
            return message["must be ".Length..].Split(',')[0];
        var m = ConvertedTo().Match(message);
        var type = m.Success ? m.Groups[1].Value : "";
        return type switch
        {
            _ when type.Contains("System.Int32") || type.Contains("System.Int64") => "an integer",
            _ when type.Contains("System.Boolean") => "a boolean (true or false)",
            _ when type.Contains("System.DateTimeOffset") => "an RFC 3339 timestamp",
            _ when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "a list",
            _ when type.StartsWith("System.Collections.Generic.Dictionary`2[System.String,System.String]", StringComparison.Ordinal) => "a mapping of strings",
            _ when type.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "a mapping",
            _ when type == "System.String" => "a string",
            _ when type.StartsWith("KubeOS.Api.Models.", StringComparison.Ordinal) => "a mapping",
            _ => "a value of another type",
        };
    }

    private static List<object> ParsePath(string path)
    {
        var segments = new List<object>();
        foreach (Match m in PathSegment().Matches(path))
        {
            if (m.Groups["name"].Success) segments.Add(m.Groups["name"].Value);
            else if (m.Groups["quoted"].Success) segments.Add(m.Groups["quoted"].Value);
            else segments.Add(int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return segments;
    }

    private static string ToFieldPath(List<object> segments)
    {
        var path = "";
        foreach (var s in segments) path = s is int i ? FieldPath.Index(path, i) : FieldPath.Child(path, (string)s);
        return path;
    }

    private static (JsonNode? Parent, JsonNode? Node) Navigate(JsonNode root, List<object> segments)
    {
        JsonNode? parent = null, current = root;
        foreach (var s in segments)
        {
            parent = current;
            current = (s, current) switch
            {
                (string name, JsonObject o) => o[name],
                (int i, JsonArray a) when i < a.Count => a[i],
                _ => null,
            };
        }
        return (parent, current);
    }

    private static bool Remove(JsonNode parent, object last)
    {
        switch (parent, last)
        {
            case (JsonObject o, string name) when o.ContainsKey(name):
                o.Remove(name);
                return true;
            case (JsonArray a, int i) when i < a.Count && a[i] is not null:
                a[i] = null; // keeps later indexes pointing at the same items
                return true;
            default:
                return false;
        }
    }

    [GeneratedRegex(@"converted to (\S+?)\.? Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\.(?<name>[^.\[\]]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
