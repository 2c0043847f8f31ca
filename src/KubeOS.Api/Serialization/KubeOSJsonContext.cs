using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using KubeOS.Api.Models;

namespace KubeOS.Api.Serialization;

/// <summary>Source-generated JSON metadata for every contract type, so serialization works under trimming and NativeAOT.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(OS))]
[JsonSerializable(typeof(OSInstance))]
[JsonSerializable(typeof(OSSpec))]
[JsonSerializable(typeof(OSStatus))]
[JsonSerializable(typeof(OSInstanceSpec))]
[JsonSerializable(typeof(OSInstanceStatus))]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(SysConfigs))]
[JsonSerializable(typeof(SysConfig))]
[JsonSerializable(typeof(Content))]
[JsonSerializable(typeof(TimeWindow))]
[JsonSerializable(typeof(NamespacedName))]
[JsonSerializable(typeof(List<OS>))]
[JsonSerializable(typeof(List<OSInstance>))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
public sealed partial class KubeOSJsonContext : JsonSerializerContext;
