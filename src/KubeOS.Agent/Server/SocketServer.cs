using System.Net.Sockets;
using System.Text.Json;
using KubeOS.Agent.Node;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Server;

/// <summary>
/// Serves JSON-RPC on a unix socket that only root can open (directory 0700, socket 0600). Each connection may carry
/// several requests; each response is one JSON value followed by a newline.
/// </summary>
public sealed class SocketServer(string socketPath, RequestDispatcher dispatcher) : IAsyncDisposable
{
    private Socket? _listener;
    private readonly List<Task> _connections = [];

    public void Start()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(socketPath))
            File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(16);
        AgentLog.Info($"listening on {socketPath}");
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
            Start();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client, cancellationToken));
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var reader = new JsonFrameReader(stream);
        try
        {
            while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                var result = await dispatcher.DispatchAsync(frame, cancellationToken).ConfigureAwait(false);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(result.Response, AgentJson.Wire.JsonRpcResponse);
                try
                {
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    AgentLog.Warn($"the caller left before the reply was sent: {e.Message}");
                }
                if (result.AfterReply is { } after)
                {
                    try
                    {
                        await after().ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        AgentLog.Error($"after reply: {e.Message}");
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            var error = new JsonRpcResponse { Error = new JsonRpcError { Code = JsonRpcError.ParseError, Message = e.Message } };
            try
            {
                await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(error, AgentJson.Wire.JsonRpcResponse), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        Task[] pending;
        lock (_connections)
            pending = [.. _connections];
        await Task.WhenAll(pending).ConfigureAwait(false);
        try
        {
            File.Delete(socketPath);
        }
        catch (IOException)
        {
        }
    }
}
