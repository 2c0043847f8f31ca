using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KubeOS.Api.Agent;

/// <summary>
/// Calls os-agent over its unix socket: one connection per call, as KubeOS's proxy does. Calls have no timeout of their
/// own (prepare_upgrade lasts as long as the download); pass a cancellation token to bound them.
/// </summary>
public sealed class AgentClient
{
    private long _nextId;

    public AgentClient(string socketPath = AgentMethods.DefaultSocketPath) => SocketPath = socketPath;

    public string SocketPath { get; }

    public Task<AgentResponse> PrepareUpgradeAsync(UpgradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.PrepareUpgrade, Params(JsonSerializer.SerializeToElement(request, AgentJson.Wire.UpgradeRequest)),
            AgentJson.Wire.AgentResponse, cancellationToken);

    public Task<AgentResponse> UpgradeAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.Upgrade, EmptyParams(), AgentJson.Wire.AgentResponse, cancellationToken);

    public Task<AgentResponse> RollbackAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.Rollback, EmptyParams(), AgentJson.Wire.AgentResponse, cancellationToken);

    public Task<AgentResponse> ConfigureAsync(ConfigureRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.Configure, Params(JsonSerializer.SerializeToElement(request, AgentJson.Wire.ConfigureRequest)),
            AgentJson.Wire.AgentResponse, cancellationToken);

    public Task<AgentResponse> ConfirmBootAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.ConfirmBoot, EmptyParams(), AgentJson.Wire.AgentResponse, cancellationToken);

    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentMethods.Status, EmptyParams(), AgentJson.Wire.StatusResult, cancellationToken);

    /// <summary>Sends one request and returns its result; a JSON-RPC error becomes an <see cref="AgentException"/>.</summary>
    public async Task<TResult> CallAsync<TResult>(string method, JsonElement parameters, JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken = default)
    {
        var request = new JsonRpcRequest
        {
            Method = method,
            Params = parameters.ValueKind == JsonValueKind.Undefined ? EmptyParams() : parameters,
            Id = JsonSerializer.SerializeToElement(Interlocked.Increment(ref _nextId), AgentJson.Wire.Int64),
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Error is { } error)
            throw new AgentException(error.Code, error.Code == JsonRpcError.MethodNotFound ? $"Method is unimplemented: {method}" : error.Message);
        if (response.Result is not { } result)
            throw new AgentException(JsonRpcError.InvalidRequest, $"os-agent answered {method} with neither result nor error");
        return result.Deserialize(resultType)
               ?? throw new AgentException(JsonRpcError.InvalidRequest, $"os-agent answered {method} with a null result");
    }

    private async Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new AgentException(JsonRpcError.AgentFailure,
                $"Cannot connect to KubeOS os-agent unix socket {SocketPath}: {e.Message}", e);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, AgentJson.Wire.JsonRpcRequest);
        ReadOnlyMemory<byte>? frame;
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            frame = await new JsonFrameReader(stream).ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The agent went away mid-call (it stopped, or the node is rebooting): the same failure as no answer.
            throw new AgentException(JsonRpcError.AgentFailure,
                $"os-agent closed the connection without answering {request.Method}: {e.Message}", e);
        }
        if (frame is null)
            throw new AgentException(JsonRpcError.AgentFailure, $"os-agent closed the connection without answering {request.Method}");
        return JsonSerializer.Deserialize(frame.Value.Span, AgentJson.Wire.JsonRpcResponse)
               ?? throw new AgentException(JsonRpcError.ParseError, "os-agent sent an empty response");
    }

    private static JsonElement EmptyParams() => JsonDocument.Parse("[]").RootElement.Clone();

    private static JsonElement Params(JsonElement single)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            single.WriteTo(writer);
            writer.WriteEndArray();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
