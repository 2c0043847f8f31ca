using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeOS.Sandbox.Schema;

/// <summary>One node of a structural OpenAPI v3 schema, as a CustomResourceDefinition version declares it.</summary>
internal sealed class SchemaNode
{
    private static readonly HashSet<string> Unsupported = ["allOf", "anyOf", "oneOf", "not", "$ref"];

    public string? Type { get; private init; }
    public string? Format { get; private init; }
    public bool Nullable { get; private init; }
    public JsonNode? Default { get; private init; }
    public bool HasDefault { get; private init; }
    public Dictionary<string, SchemaNode>? Properties { get; private init; }
    public SchemaNode? AdditionalProperties { get; private init; }
    public SchemaNode? Items { get; private init; }
    public IReadOnlyList<string> Required { get; private init; } = [];
    public IReadOnlyList<JsonNode?>? Enum { get; private init; }
    public Regex? Pattern { get; private init; }
    public string? PatternText { get; private init; }
    public double? Minimum { get; private init; }
    public double? Maximum { get; private init; }
    public bool ExclusiveMinimum { get; private init; }
    public bool ExclusiveMaximum { get; private init; }
    public double? MultipleOf { get; private init; }
    public long? MinLength { get; private init; }
    public long? MaxLength { get; private init; }
    public long? MinItems { get; private init; }
    public long? MaxItems { get; private init; }
    public long? MinProperties { get; private init; }
    public long? MaxProperties { get; private init; }
    public bool PreserveUnknownFields { get; private init; }
    public bool IntOrString { get; private init; }
    public bool EmbeddedResource { get; private init; }
    public string? ListType { get; private init; }
    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];
    public IReadOnlyList<CelRule> Rules { get; private init; } = [];

    public static SchemaNode Parse(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"{path}: a schema must be an object, got {e.ValueKind}");
        foreach (var p in e.EnumerateObject())
            if (Unsupported.Contains(p.Name))
                throw new NotSupportedException($"{path}.{p.Name}: logical junctors and references are not supported by this schema engine");

        Dictionary<string, SchemaNode>? properties = null;
        if (e.TryGetProperty("properties", out var props))
        {
            properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var p in props.EnumerateObject()) properties[p.Name] = Parse(p.Value, $"{path}.properties[{p.Name}]");
        }

        SchemaNode? additional = null;
        var preserve = Bool(e, "x-kubernetes-preserve-unknown-fields");
        if (e.TryGetProperty("additionalProperties", out var ap))
        {
            if (ap.ValueKind == JsonValueKind.Object) additional = Parse(ap, path + ".additionalProperties");
            else if (ap.ValueKind == JsonValueKind.True) preserve = true;
        }

        var pattern = Str(e, "pattern");
        return new SchemaNode
        {
            Type = Str(e, "type"),
            Format = Str(e, "format"),
            Nullable = Bool(e, "nullable"),
            HasDefault = e.TryGetProperty("default", out var def),
            Default = e.TryGetProperty("default", out def) ? JsonNode.Parse(def.GetRawText()) : null,
            Properties = properties,
            AdditionalProperties = additional,
            Items = e.TryGetProperty("items", out var items) ? Parse(items, path + ".items") : null,
            Required = e.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
            Enum = e.TryGetProperty("enum", out var en) ? en.EnumerateArray().Select(v => JsonNode.Parse(v.GetRawText())).ToList() : null,
            PatternText = pattern,
            Pattern = pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant),
            Minimum = Num(e, "minimum"),
            Maximum = Num(e, "maximum"),
            ExclusiveMinimum = Bool(e, "exclusiveMinimum"),
            ExclusiveMaximum = Bool(e, "exclusiveMaximum"),
            MultipleOf = Num(e, "multipleOf"),
            MinLength = Int(e, "minLength"),
            MaxLength = Int(e, "maxLength"),
            MinItems = Int(e, "minItems"),
            MaxItems = Int(e, "maxItems"),
            MinProperties = Int(e, "minProperties"),
            MaxProperties = Int(e, "maxProperties"),
            PreserveUnknownFields = preserve,
            IntOrString = Bool(e, "x-kubernetes-int-or-string"),
            EmbeddedResource = Bool(e, "x-kubernetes-embedded-resource"),
            ListType = Str(e, "x-kubernetes-list-type"),
            ListMapKeys = e.TryGetProperty("x-kubernetes-list-map-keys", out var keys) ? keys.EnumerateArray().Select(k => k.GetString()!).ToList() : [],
            Rules = e.TryGetProperty("x-kubernetes-validations", out var rules)
                ? rules.EnumerateArray().Select((r, i) => CelRule.Compile(r, $"{path}.x-kubernetes-validations[{i}]")).ToList()
                : [],
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static long? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}
