using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace KubeOS.Sandbox.Benchmarks;

/// <summary>An HttpClient trusting the sandbox CA and carrying its token, for raw requests and streamed watches.</summary>
public static class Http
{
    public static HttpClient Create(SandboxServer server)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(server.CaCertificate);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return cert is X509Certificate2 c && chain.Build(c);
                },
            },
        };
        var http = new HttpClient(handler) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        return http;
    }
}
