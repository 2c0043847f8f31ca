using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>A versioned list of settings (<c>sysconfigs</c> / <c>upgradeconfigs</c>); only a change of version triggers work.</summary>
public sealed class SysConfigs
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("configs")] public List<SysConfig>? Configs { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The settings of one configuration model, e.g. <c>kernel.sysctl</c>.</summary>
public sealed class SysConfig
{
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("configpath")] public string? ConfigPath { get; set; }
    [JsonPropertyName("contents")] public List<Content>? Contents { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One key of a configuration model. The value is any JSON: string, number, bool, null, list or object.</summary>
public sealed class Content
{
    [JsonPropertyName("key")] public string? Key { get; set; }

    /// <summary>
    /// The value as JSON. <c>default(JsonElement)</c> (ValueKind Undefined) means the field is absent, which differs from
    /// an explicit <c>null</c> (ValueKind Null) for the models that give null a meaning.
    /// </summary>
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Value { get; set; }

    [JsonPropertyName("operation")] public string? Operation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore] public bool HasValue => Value.ValueKind != JsonValueKind.Undefined;

    /// <summary>True for <c>operation: delete</c>; everything else adds or updates.</summary>
    [JsonIgnore] public bool IsDelete => Operation == WellKnown.Operations.Delete;

    /// <summary>The value as text when it is a JSON scalar (string, number, bool); null otherwise.</summary>
    [JsonIgnore]
    public string? ScalarText => Value.ValueKind switch
    {
        JsonValueKind.String => Value.GetString(),
        JsonValueKind.Number => Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static Content Of(string key, string? value, string? operation = null) => new()
    {
        Key = key,
        Value = value is null ? default : JsonSerializer.SerializeToElement(value, Serialization.KubeOSJsonContext.Default.String),
        Operation = operation,
    };

    public static Content Of(string key, long value, string? operation = null) =>
        new() { Key = key, Value = JsonSerializer.SerializeToElement(value, Serialization.KubeOSJsonContext.Default.Int64), Operation = operation };

    public static Content Of(string key, double value, string? operation = null) =>
        new() { Key = key, Value = JsonSerializer.SerializeToElement(value, Serialization.KubeOSJsonContext.Default.Double), Operation = operation };

    public static Content Of(string key, bool value, string? operation = null) =>
        new() { Key = key, Value = JsonSerializer.SerializeToElement(value, Serialization.KubeOSJsonContext.Default.Boolean), Operation = operation };

    public static Content Of(string key, JsonElement value, string? operation = null) =>
        new() { Key = key, Value = value.Clone(), Operation = operation };
}
