using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>A reply to send and what to start after sending it.</summary>
public sealed record DispatchResult(JsonRpcResponse Response, Action? AfterReply);

/// <summary>
/// Routes JSON-RPC requests as os-agent does: protocol errors with the JSON-RPC codes, every failure of an operation
/// with code -1 and its cause as the message, and one request at a time — a second caller is turned away at once.
/// </summary>
public sealed class AgentRequestDispatcher(IAgentOperations operations)
{
    private int _busy;

    public async Task<DispatchResult> DispatchAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        JsonRpcRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(frame.Span, AgentJson.Wire.JsonRpcRequest);
        }
        catch (JsonException e)
        {
            return Error(null, JsonRpcError.ParseError, $"request is not valid JSON-RPC: {e.Message}");
        }
        if (request is null || request.JsonRpc != "2.0" || string.IsNullOrEmpty(request.Method))
            return Error(request?.Id, JsonRpcError.InvalidRequest, "request must be a JSON-RPC 2.0 object with jsonrpc \"2.0\" and a method");
        if (request.Method is not (AgentMethods.PrepareUpgrade or AgentMethods.Upgrade or AgentMethods.Rollback
            or AgentMethods.Configure or AgentMethods.Status or AgentMethods.ConfirmBoot))
            return Error(request.Id, JsonRpcError.MethodNotFound, $"Method not found: {request.Method}");

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return Error(request.Id, JsonRpcError.AgentFailure, AgentException.BusyMessage);
        try
        {
            return await InvokeAsync(request, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private async Task<DispatchResult> InvokeAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        AgentOutcome outcome;
        try
        {
            if (request.Method == AgentMethods.Status)
            {
                var status = await operations.StatusAsync(cancellationToken);
                return new(Result(request.Id, status, AgentJson.Wire.StatusResult), null);
            }
            outcome = request.Method switch
            {
                AgentMethods.PrepareUpgrade => await operations.PrepareUpgradeAsync(SingleParam(request, AgentJson.Wire.UpgradeRequest), cancellationToken),
                AgentMethods.Upgrade => await operations.UpgradeAsync(cancellationToken),
                AgentMethods.Rollback => await operations.RollbackAsync(cancellationToken),
                AgentMethods.Configure => await operations.ConfigureAsync(SingleParam(request, AgentJson.Wire.ConfigureRequest), cancellationToken),
                _ => await operations.ConfirmBootAsync(cancellationToken),
            };
        }
        catch (InvalidParamsException e)
        {
            return Error(request.Id, JsonRpcError.InvalidParams, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (request.Method != AgentMethods.Status)
                operations.RecordResult(request.Method, false, e.Message);
            return Error(request.Id, JsonRpcError.AgentFailure, e.Message);
        }
        operations.RecordResult(request.Method, true, outcome.Response.Status);
        return new(Result(request.Id, outcome.Response, AgentJson.Wire.AgentResponse), outcome.AfterReply);
    }

    /// <summary>KubeOS sends [object]; a bare object is accepted too, for requests typed by hand.</summary>
    private static T SingleParam<T>(JsonRpcRequest request, JsonTypeInfo<T> type)
    {
        var element = request.Params;
        if (element is { ValueKind: JsonValueKind.Array } array)
            element = array.GetArrayLength() == 1 ? array[0] : null;
        if (element is not { ValueKind: JsonValueKind.Object } value)
            throw new InvalidParamsException($"{request.Method} expects params [{type.Type.Name}]: an array holding one object");
        try
        {
            return value.Deserialize(type) ?? throw new InvalidParamsException($"{request.Method}: params[0] is null");
        }
        catch (JsonException e)
        {
            throw new InvalidParamsException($"{request.Method}: params[0] is not a valid {type.Type.Name}: {e.Message}");
        }
    }

    private static JsonRpcResponse Result<T>(JsonElement? id, T value, JsonTypeInfo<T> type) =>
        new() { Id = id ?? NullId, Result = JsonSerializer.SerializeToElement(value, type) };

    private static DispatchResult Error(JsonElement? id, int code, string message) =>
        new(new JsonRpcResponse { Id = id ?? NullId, Error = new JsonRpcError { Code = code, Message = message } }, null);

    private static readonly JsonElement NullId = JsonDocument.Parse("null").RootElement.Clone();

    private sealed class InvalidParamsException(string message) : Exception(message);
}
