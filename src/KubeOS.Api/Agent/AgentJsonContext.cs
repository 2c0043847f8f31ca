using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>Source-generated serializers for every protocol message, so the NativeAOT agent needs no reflection.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcResponse))]
[JsonSerializable(typeof(UpgradeRequest))]
[JsonSerializable(typeof(ConfigureRequest))]
[JsonSerializable(typeof(AgentResponse))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(StagedImage))]
[JsonSerializable(typeof(OperationResult))]
public sealed partial class AgentJsonContext : JsonSerializerContext
{
}

/// <summary>
/// The serializers used on the wire: the generated context with relaxed escaping, so messages read naturally to
/// someone poking the socket with socat ('quotes' and + stay as they are; the socket carries no HTML).
/// </summary>
public static class AgentJson
{
    public static AgentJsonContext Wire { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
