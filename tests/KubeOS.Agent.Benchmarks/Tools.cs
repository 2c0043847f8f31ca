using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeOS.Agent.Benchmarks;

public static class Tools
{
    public static string Run(string file, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(file, args);
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {stderr}");
    }

    public static (int, string, string) TryRun(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>
/// Serves one file over HTTP/1.1 on 127.0.0.1 with sendfile, straight from the page cache, so the server costs the two
/// cores as little as a remote image server would; every HTTP figure shares it.
/// </summary>
public sealed class FileServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _path;

    public FileServer(string path)
    {
        _path = path;
        _listener.Start();
        _ = Task.Run(Loop);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/payload.img";

    private async Task Loop()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using var _ = client;
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    var n = await stream.ReadAsync(buffer);
                    if (n == 0)
                        return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                var length = new FileInfo(_path).Length;
                var header = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
                await client.Client.SendFileAsync(_path, header, ReadOnlyMemory<byte>.Empty, TransmitFileOptions.UseDefaultWorkerThread);
            });
        }
    }

    public void Dispose() => _listener.Stop();
}
