using System.Net.Sockets;
using System.Text.Json;
using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// Serves the agent protocol on a unix socket: each connection may carry several requests, each answered with one
/// JSON value and a newline, as os-agent answers. Stopping closes the socket and removes its file, so callers see
/// what they see while a node reboots: nothing to connect to.
/// </summary>
public sealed class AgentSocketServer(string socketPath, AgentRequestDispatcher dispatcher) : IAsyncDisposable
{
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;

    public string SocketPath => socketPath;

    public bool IsListening => _listener is not null;

    public void Start()
    {
        if (_listener is not null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
        if (File.Exists(socketPath)) File.Delete(socketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        _listener = listener;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _stop.Token);
    }

    public async Task StopAsync()
    {
        if (_listener is not { } listener) return;
        _listener = null;
        await _stop!.CancelAsync();
        listener.Dispose();
        try { await _accepting; }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        Task[] pending;
        lock (_connections) pending = [.. _connections];
        await Task.WhenAll(pending);
        _stop.Dispose();
        try { File.Delete(socketPath); }
        catch (IOException) { }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptAsync(ct);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client, ct));
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        await Task.Yield();
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var reader = new JsonFrameReader(stream);
        try
        {
            while (await reader.ReadFrameAsync(ct) is { } frame)
            {
                var result = await dispatcher.DispatchAsync(frame, ct);
                try
                {
                    await WriteAsync(stream, result.Response, ct);
                }
                finally
                {
                    // As on a host: an armed reboot happens even when the caller left before reading the answer.
                    result.AfterReply?.Invoke();
                }
            }
        }
        catch (InvalidDataException e)
        {
            var error = new JsonRpcResponse { Error = new JsonRpcError { Code = JsonRpcError.ParseError, Message = e.Message } };
            try { await WriteAsync(stream, error, ct); }
            catch (Exception write) when (write is IOException or OperationCanceledException) { }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
    }

    private static async Task WriteAsync(NetworkStream stream, JsonRpcResponse response, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, AgentJson.Wire.JsonRpcResponse);
        await stream.WriteAsync(bytes, ct);
        await stream.WriteAsync("\n"u8.ToArray(), ct);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
