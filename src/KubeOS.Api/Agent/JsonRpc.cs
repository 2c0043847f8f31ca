using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>A JSON-RPC 2.0 request. KubeOS sends params positionally: an array with at most one object.</summary>
public sealed class JsonRpcRequest
{
    [JsonPropertyName("jsonrpc")] public string JsonRpc { get; set; } = "2.0";
    [JsonPropertyName("method")] public string Method { get; set; } = "";
    [JsonPropertyName("params")] public JsonElement? Params { get; set; }
    [JsonPropertyName("id")] public JsonElement? Id { get; set; }
}

/// <summary>A JSON-RPC 2.0 response: exactly one of <see cref="Result"/> and <see cref="Error"/> is set.</summary>
public sealed class JsonRpcResponse
{
    [JsonPropertyName("jsonrpc")] public string JsonRpc { get; set; } = "2.0";

    [JsonPropertyName("result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Result { get; set; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonRpcError? Error { get; set; }

    [JsonPropertyName("id")] public JsonElement? Id { get; set; }
}

/// <summary>The error object. os-agent reports every failure with code -1 and the full cause in the message, as KubeOS does.</summary>
public sealed class JsonRpcError
{
    public const int AgentFailure = -1;
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;

    [JsonPropertyName("code")] public int Code { get; set; }
    [JsonPropertyName("message")] public string Message { get; set; } = "";

    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; set; }
}
