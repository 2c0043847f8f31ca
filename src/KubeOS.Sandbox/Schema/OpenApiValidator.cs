using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeOS.Sandbox.Schema;

/// <summary>
/// Structural OpenAPI v3 validation with kube-apiserver's messages (go-openapi wording, converted to field errors),
/// followed by each node's x-kubernetes-validations rules.
/// </summary>
internal static partial class OpenApiValidator
{
    public static void Validate(JsonNode? node, SchemaNode schema, string path, bool isResourceRoot, List<FieldCause> causes)
    {
        if (node is null)
        {
            if (!schema.Nullable && schema.Type is not null && !schema.IntOrString)
                causes.Add(TypeInvalid(path, "null", schema.Type));
            return;
        }
        if (!CheckType(node, schema, path, causes)) return;

        if (schema.Enum is { } values && !values.Any(v => JsonNode.DeepEquals(v, node)))
            causes.Add(new FieldCause(FieldCauseTypes.NotSupported, path,
                $"Unsupported value: {Show(node)}: supported values: {string.Join(", ", values.Select(Show))}"));

        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                CheckString(v.GetValue<string>(), schema, path, causes);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                CheckNumber(v, schema, path, causes);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, causes);
                break;
            case JsonObject obj:
                CheckObject(obj, schema, path, isResourceRoot, causes);
                break;
        }

    }

    /// <summary>Evaluates every x-kubernetes-validations rule on the values present, top-down.</summary>
    public static void ValidateRules(JsonNode? node, SchemaNode schema, string path, bool isResourceRoot, List<FieldCause> causes)
    {
        if (node is null) return;
        var variables = schema.Rules.Count > 0 ? CelRule.Variables(node, schema) : null;
        foreach (var rule in schema.Rules)
        {
            var (ok, message) = rule.Evaluate(variables!);
            if (ok) continue;
            var field = rule.FieldPath is null ? path : SchemaPaths.Append(path, rule.FieldPath);
            causes.Add(RuleCause(rule.Reason, field, schema.Type ?? "object", message!));
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (isResourceRoot && key == "metadata") continue;
                    if (schema.Properties?.TryGetValue(key, out var child) == true)
                        ValidateRules(value, child, SchemaPaths.Child(path, key), child.EmbeddedResource, causes);
                    else if (schema.AdditionalProperties is { } additional)
                        ValidateRules(value, additional, SchemaPaths.Key(path, key), additional.EmbeddedResource, causes);
                }
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                    ValidateRules(array[i], items, SchemaPaths.Index(path, i), items.EmbeddedResource, causes);
                break;
        }
    }

    private static bool CheckType(JsonNode node, SchemaNode schema, string path, List<FieldCause> causes)
    {
        var actual = TypeOf(node);
        if (schema.IntOrString)
        {
            if (actual is "integer" or "string") return true;
            causes.Add(TypeInvalid(path, actual, "integer or string"));
            return false;
        }
        var ok = schema.Type switch
        {
            null => true,
            "number" => actual is "integer" or "number",
            var t => t == actual,
        };
        if (!ok) causes.Add(TypeInvalid(path, actual, schema.Type!));
        return ok;
    }

    private static void CheckString(string value, SchemaNode schema, string path, List<FieldCause> causes)
    {
        var length = value.EnumerateRunes().Count();
        if (schema.MaxLength is { } max && length > max)
            causes.Add(new FieldCause(FieldCauseTypes.TooLong, path, $"Too long: may not be more than {max} bytes"));
        if (schema.MinLength is { } min && length < min)
            causes.Add(Invalid(path, value, $"{path} in body should be at least {min} chars long"));
        if (schema.Pattern is { } pattern && !pattern.IsMatch(value))
            causes.Add(Invalid(path, value, $"{path} in body should match '{schema.PatternText}'"));
        if (schema.Format is { } format && !FormatOk(format, value))
            causes.Add(Invalid(path, value, $"{path} in body must be of type {format}: {Quote(value)}"));
    }

    private static void CheckNumber(JsonValue v, SchemaNode schema, string path, List<FieldCause> causes)
    {
        var d = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
        object shown = v.TryGetValue<long>(out var l) ? l : d;
        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? d <= min : d < min))
            causes.Add(Invalid(path, shown, $"{path} in body should be greater than {(schema.ExclusiveMinimum ? "" : "or equal to ")}{Num(min)}"));
        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? d >= max : d > max))
            causes.Add(Invalid(path, shown, $"{path} in body should be less than {(schema.ExclusiveMaximum ? "" : "or equal to ")}{Num(max)}"));
        if (schema.MultipleOf is { } m && m != 0 && Math.Abs(Math.IEEERemainder(d, m)) > 1e-9)
            causes.Add(Invalid(path, shown, $"{path} in body should be a multiple of {Num(m)}"));
    }

    private static void CheckArray(JsonArray array, SchemaNode schema, string path, List<FieldCause> causes)
    {
        if (schema.MaxItems is { } max && array.Count > max)
            causes.Add(new FieldCause(FieldCauseTypes.TooMany, path, $"Too many: {array.Count}: must have at most {max} items"));
        if (schema.MinItems is { } min && array.Count < min)
            causes.Add(Invalid(path, "array", $"{path} in body should have at least {min} items"));
        if (schema.ListType == "set")
        {
            for (var i = 0; i < array.Count; i++)
                if (array.Take(i).Any(prev => JsonNode.DeepEquals(prev, array[i])))
                    causes.Add(new FieldCause(FieldCauseTypes.Duplicate, SchemaPaths.Index(path, i), $"Duplicate value: {Show(array[i])}"));
        }
        else if (schema.ListType == "map" && schema.ListMapKeys.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject item) continue;
                var keys = string.Join(",", schema.ListMapKeys.Select(k => item[k]?.ToJsonString() ?? "null"));
                if (!seen.Add(keys))
                    causes.Add(new FieldCause(FieldCauseTypes.Duplicate, SchemaPaths.Index(path, i),
                        $"Duplicate value: map[string]interface {{}}{{{string.Join(", ", schema.ListMapKeys.Select(k => $"\"{k}\":{item[k]?.ToJsonString() ?? "null"}"))}}}"));
            }
        }
        if (schema.Items is null) return;
        for (var i = 0; i < array.Count; i++)
            Validate(array[i], schema.Items, SchemaPaths.Index(path, i), schema.Items.EmbeddedResource, causes);
    }

    private static void CheckObject(JsonObject obj, SchemaNode schema, string path, bool isResourceRoot, List<FieldCause> causes)
    {
        foreach (var name in schema.Required)
            if (!obj.ContainsKey(name))
                causes.Add(new FieldCause(FieldCauseTypes.Required, SchemaPaths.Child(path, name), "Required value"));
        if (schema.MaxProperties is { } max && obj.Count > max)
            causes.Add(new FieldCause(FieldCauseTypes.TooMany, path, $"Too many: {obj.Count}: must have at most {max} items"));
        if (schema.MinProperties is { } min && obj.Count < min)
            causes.Add(Invalid(path, "object", $"{path} in body should have at least {min} properties"));

        foreach (var (key, value) in obj)
        {
            if (isResourceRoot && key == "metadata") continue; // ObjectMeta is validated by the API server itself
            if (schema.Properties?.TryGetValue(key, out var child) == true)
                Validate(value, child, SchemaPaths.Child(path, key), child.EmbeddedResource, causes);
            else if (schema.AdditionalProperties is { } additional)
                Validate(value, additional, SchemaPaths.Key(path, key), additional.EmbeddedResource, causes);
        }
    }

    private static FieldCause RuleCause(string reason, string field, string type, string message) => reason switch
    {
        FieldCauseTypes.Required => new FieldCause(reason, field, $"Required value: {message}"),
        FieldCauseTypes.Forbidden => new FieldCause(reason, field, $"Forbidden: {message}"),
        FieldCauseTypes.Duplicate => new FieldCause(reason, field, $"Duplicate value: {Quote(type)}: {message}"),
        _ => Invalid(field, type, message),
    };

    private static FieldCause TypeInvalid(string path, string actual, string expected) =>
        new(FieldCauseTypes.TypeInvalid, path, $"Invalid value: {Quote(actual)}: {path} in body must be of type {expected}: {Quote(actual)}");

    private static FieldCause Invalid(string path, object value, string detail) =>
        new(FieldCauseTypes.Invalid, path, $"Invalid value: {Show(value)}: {detail}");

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsIntegral(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsIntegral(JsonValue v)
    {
        if (v.TryGetValue<long>(out _)) return true;
        var d = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
        return Math.Floor(d) == d && double.IsFinite(d);
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        long or int or double => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonNode n => n.ToJsonString(),
        _ => value.ToString() ?? "",
    };

    private static string Num(double d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>Go's %q for the strings that appear in these messages.</summary>
    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static bool FormatOk(string format, string value) => format switch
    {
        "date-time" => DateTime().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => System.DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(value, "D", out _),
        "byte" => value.Length % 4 == 0 && Convert.TryFromBase64String(value, new byte[value.Length], out _),
        _ => true, // kube-apiserver ignores formats it does not know, and int32/int64/... constrain nothing in strings
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();
}
