using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeOS.ImageBuilder.Tests.Support;

/// <summary>Debian's docker-registry on a free 127.0.0.1 port with its own config and storage.</summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private LocalRegistry(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Address = $"127.0.0.1:{port}";
    }

    public string Address { get; }

    public static async Task<LocalRegistry> StartAsync(string parent)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dir = Path.Combine(parent, $"registry-{port}");
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {dir}/data
            http:
              addr: 127.0.0.1:{port}
            """);
        var psi = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var r = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (r.IsSuccessStatusCode) return new LocalRegistry(process, dir, port);
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        process.Kill();
        throw new InvalidOperationException("docker-registry did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
