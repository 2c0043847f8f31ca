using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KubeOS.Api.Agent.Server;

/// <summary>A reply to send and what to run after sending it.</summary>
public sealed record DispatchResult(JsonRpcResponse Response, Func<Task>? AfterReply);

/// <summary>
/// Routes JSON-RPC requests to the agent's operations: protocol errors with the JSON-RPC codes, every failure of an
/// operation with code -1 and its whole cause chain as the message (as KubeOS reports it), and one request at a time —
/// a second caller is turned away at once rather than queued, so a proxy never waits behind a long prepare unawares.
/// </summary>
public sealed class AgentRequestDispatcher(IAgentOperations operations, AgentServerLog? log = null)
{
    private readonly AgentServerLog _log = log ?? AgentServerLog.None;
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
            _log.Info($"request {request.Method}");
            return await InvokeAsync(request, cancellationToken).ConfigureAwait(false);
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
                var status = await operations.StatusAsync(cancellationToken).ConfigureAwait(false);
                return new(Result(request.Id, status, AgentJson.Wire.StatusResult), null);
            }
            outcome = request.Method switch
            {
                AgentMethods.PrepareUpgrade => await operations.PrepareUpgradeAsync(
                    SingleParam(request, AgentJson.Wire.UpgradeRequest), cancellationToken).ConfigureAwait(false),
                AgentMethods.Upgrade => await operations.UpgradeAsync(cancellationToken).ConfigureAwait(false),
                AgentMethods.Rollback => await operations.RollbackAsync(cancellationToken).ConfigureAwait(false),
                AgentMethods.Configure => await operations.ConfigureAsync(
                    SingleParam(request, AgentJson.Wire.ConfigureRequest), cancellationToken).ConfigureAwait(false),
                _ => await operations.ConfirmBootAsync(cancellationToken).ConfigureAwait(false),
            };
        }
        catch (InvalidParamsException e)
        {
            return Error(request.Id, JsonRpcError.InvalidParams, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = Describe(e);
            _log.Error($"{request.Method} failed: {message}");
            if (request.Method != AgentMethods.Status)
                operations.RecordResult(request.Method, false, message);
            return Error(request.Id, JsonRpcError.AgentFailure, message);
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

    /// <summary>The whole cause chain, each message once.</summary>
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (parts.Count == 0 || !parts[^1].Contains(current.Message, StringComparison.Ordinal))
                parts.Add(current.Message);
        }
        return string.Join(": ", parts);
    }

    private static JsonRpcResponse Result<T>(JsonElement? id, T value, JsonTypeInfo<T> type) =>
        new() { Id = id ?? NullId, Result = JsonSerializer.SerializeToElement(value, type) };

    private static DispatchResult Error(JsonElement? id, int code, string message) =>
        new(new JsonRpcResponse { Id = id ?? NullId, Error = new JsonRpcError { Code = code, Message = message } }, null);

    private static readonly JsonElement NullId = JsonDocument.Parse("null").RootElement.Clone();
}

/// <summary>Params that do not fit the method: answered with JSON-RPC's invalid-params code, not as an agent failure.</summary>
public sealed class InvalidParamsException(string message) : Exception(message);
