using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>Parameters of <c>configure</c>: settings models applied in order.</summary>
public sealed class ConfigureRequest
{
    [JsonPropertyName("configs")] public List<SysConfig> Configs { get; set; } = new();
}

/// <summary>One settings model (e.g. kernel.sysctl) with its keys.</summary>
public sealed class SysConfig
{
    [JsonPropertyName("model")] public string Model { get; set; } = "";

    /// <summary>File the model edits; empty selects the model's default path.</summary>
    [JsonPropertyName("config_path")] public string ConfigPath { get; set; } = "";
    [JsonPropertyName("contents")] public Dictionary<string, KeyInfo> Contents { get; set; } = new();
}

/// <summary>One key of a model: any JSON value and an operation (add, update, delete; empty means add/update).</summary>
public sealed class KeyInfo
{
    [JsonPropertyName("value")] public JsonElement Value { get; set; }
    [JsonPropertyName("operation")] public string Operation { get; set; } = "";
}
