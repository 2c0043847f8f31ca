using System.Net.Sockets;
using System.Text.Json;

namespace KubeOS.Api.Agent.Server;

/// <summary>
/// Serves the agent protocol on a unix socket only its owner can open (socket 0600; with
/// <see cref="PrivateDirectory"/> its directory 0700 too). Each connection may carry several requests, each answered
/// with one JSON value and a newline. Stopping closes the socket and removes its file, so callers see what they see
/// while a node reboots: nothing to connect to. A simulated node stops and starts it again around its reboot.
/// </summary>
public sealed class AgentSocketServer(string socketPath, AgentRequestDispatcher dispatcher, AgentServerLog? log = null) : IAsyncDisposable
{
    private readonly AgentServerLog _log = log ?? AgentServerLog.None;
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;

    public string SocketPath => socketPath;

    public bool IsListening => _listener is not null;

    /// <summary>Makes the socket's directory 0700 (the host agent's /run/os-agent): only root may even look up the socket.</summary>
    public bool PrivateDirectory { get; init; }

    public void Start()
    {
        if (_listener is not null) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        Directory.CreateDirectory(directory);
        if (PrivateDirectory && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(socketPath)) File.Delete(socketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        _listener = listener;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _stop.Token);
        _log.Info($"listening on {socketPath}");
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        try { await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await StopAsync().ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        if (_listener is not { } listener) return;
        _listener = null;
        await _stop!.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        try { await _accepting.ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        Task[] pending;
        lock (_connections) pending = [.. _connections];
        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
        try { File.Delete(socketPath); }
        catch (IOException) { }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptAsync(ct).ConfigureAwait(false);
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
            while (await reader.ReadFrameAsync(ct).ConfigureAwait(false) is { } frame)
            {
                var result = await dispatcher.DispatchAsync(frame, ct).ConfigureAwait(false);
                try
                {
                    await WriteAsync(stream, result.Response, ct).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    _log.Warn($"the caller left before the reply was sent: {e.Message}");
                }
                // An armed reboot happens even when the caller left before reading the answer, as on a host.
                if (result.AfterReply is { } after)
                {
                    try { await after().ConfigureAwait(false); }
                    catch (Exception e) { _log.Error($"after reply: {e.Message}"); }
                }
            }
        }
        catch (InvalidDataException e)
        {
            var error = new JsonRpcResponse { Error = new JsonRpcError { Code = JsonRpcError.ParseError, Message = e.Message } };
            try { await WriteAsync(stream, error, ct).ConfigureAwait(false); }
            catch (Exception write) when (write is IOException or OperationCanceledException) { }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException) { }
    }

    private static async Task WriteAsync(NetworkStream stream, JsonRpcResponse response, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, AgentJson.Wire.JsonRpcResponse);
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
