using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeOS.ImageBuilder.Tests.Support;

/// <summary>
/// A minimal HTTP/1.x file server on a free 127.0.0.1 port (GET only, one file per request, connection closed after
/// it). Guests reach it through a QEMU guestfwd rule, so it must accept any Host header.
/// </summary>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyDictionary<string, string> _files;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="files">URL path (e.g. "/rootfs.img") → file served.</param>
    public StaticHttpServer(IReadOnlyDictionary<string, string> files)
    {
        _files = files;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Request lines received ("GET /x HTTP/1.1") with the status sent.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var header = await ReadHeaderAsync(stream);
                var requestLine = header.Split("\r\n")[0];
                var parts = requestLine.Split(' ');
                if (parts.Length >= 2 && parts[0] == "GET" && _files.TryGetValue(parts[1], out var file) && File.Exists(file))
                {
                    var length = new FileInfo(file).Length;
                    Requests.Enqueue(requestLine + " 200");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"), _stop.Token);
                    await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                    await source.CopyToAsync(stream, 1 << 20, _stop.Token);
                }
                else
                {
                    Requests.Enqueue(requestLine + " 404");
                    await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (IOException) { }
            catch (OperationCanceledException) { }
        }
    }

    private static async Task<string> ReadHeaderAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0) break;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n') break;
        }
        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
