using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeOS.Agent.Tests.Support;

/// <summary>How the test server answers a GET.</summary>
public enum ServeMode
{
    Full,
    /// <summary>Announces the full length, sends half, and closes.</summary>
    Truncated,
    ServerError,
    /// <summary>No Content-Length: the size is only known while streaming.</summary>
    Chunked,
}

/// <summary>A minimal HTTP/1.1 server on 127.0.0.1 with full control over status, length and pacing.</summary>
public sealed class TestHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _body;

    private readonly X509Certificate2? _serverCertificate;
    private readonly X509Certificate2? _clientCa;

    /// <param name="serverCertificate">Serve https with this certificate.</param>
    /// <param name="clientCa">Require a client certificate issued by this CA (mutual TLS).</param>
    public TestHttpServer(byte[] body, ServeMode mode = ServeMode.Full, int bytesPerSecond = 0,
        X509Certificate2? serverCertificate = null, X509Certificate2? clientCa = null)
    {
        _body = body;
        _serverCertificate = serverCertificate;
        _clientCa = clientCa;
        Mode = mode;
        BytesPerSecond = bytesPerSecond;
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public ServeMode Mode { get; }
    public int BytesPerSecond { get; }
    public long BytesSent;
    public int Requests;
    public string Url => $"{(_serverCertificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/kubeos.img";

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_serverCertificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _serverCertificate,
                    ClientCertificateRequired = _clientCa is not null,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => _clientCa is null || IssuedByClientCa(certificate),
                }, _stop.Token);
                stream = tls;
            }
            var request = new StringBuilder();
            var buffer = new byte[1];
            while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(buffer, _stop.Token) == 0)
                    return;
                request.Append((char)buffer[0]);
            }
            Interlocked.Increment(ref Requests);
            if (Mode == ServeMode.ServerError)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nerror"), _stop.Token);
                return;
            }
            var header = Mode == ServeMode.Chunked
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                : $"HTTP/1.1 200 OK\r\nContent-Length: {_body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
            var end = Mode == ServeMode.Truncated ? _body.Length / 2 : _body.Length;
            const int chunk = 256 * 1024;
            for (var offset = 0; offset < end; offset += chunk)
            {
                var n = Math.Min(chunk, end - offset);
                if (Mode == ServeMode.Chunked)
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), _stop.Token);
                await stream.WriteAsync(_body.AsMemory(offset, n), _stop.Token);
                if (Mode == ServeMode.Chunked)
                    await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                Interlocked.Add(ref BytesSent, n);
                if (BytesPerSecond > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)n / BytesPerSecond), _stop.Token);
            }
            if (Mode == ServeMode.Chunked)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    private bool IssuedByClientCa(X509Certificate? certificate)
    {
        if (certificate is null)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_clientCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
