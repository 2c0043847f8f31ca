using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Images;

/// <summary>
/// HTTP client for image_url as KubeOS chooses it: https verified against the CA named in certs (plus client
/// certificate with mtls), plain http only when flag_safe says so.
/// </summary>
public static class ImageHttpClientFactory
{
    public static HttpClient Create(UpgradeRequest request, string certsDir)
    {
        if (!Uri.TryCreate(request.ImageUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"image_url '{request.ImageUrl}' is not an http:// or https:// URL");
        if (uri.Scheme == "http" && !request.FlagSafe)
            throw new ArgumentException($"image_url '{request.ImageUrl}' is plain http; set flagSafe: true to allow it, or serve the image over https");
        return Build(request, certsDir, tls: uri.Scheme == "https");
    }

    /// <summary>For a registry: https with the request's CA and client identity, or plain http when flag_safe allows it.</summary>
    public static HttpClient CreateForRegistry(UpgradeRequest request, string certsDir) => Build(request, certsDir, tls: !request.FlagSafe);

    private static HttpClient Build(UpgradeRequest request, string certsDir, bool tls)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (tls)
        {
            var ssl = new SslClientAuthenticationOptions();
            if (request.Certs.CaCert.Length > 0 || request.Mtls)
            {
                var ca = LoadCertificate(certsDir, request.Certs.CaCert, "certs.ca_cert");
                ssl.CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                };
            }
            if (request.Mtls)
            {
                var certPath = CertPath(certsDir, request.Certs.ClientCert, "certs.client_cert");
                var keyPath = CertPath(certsDir, request.Certs.ClientKey, "certs.client_key");
                var identity = X509Certificate2.CreateFromPemFile(certPath, keyPath);
                ssl.ClientCertificates = new X509CertificateCollection { identity };
            }
            handler.SslOptions = ssl;
        }
        // No overall timeout: the body of a multi-GiB image may take long; a stalled connection is bounded by the caller's token.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static X509Certificate2 LoadCertificate(string certsDir, string name, string field) =>
        X509CertificateLoader.LoadCertificateFromFile(CertPath(certsDir, name, field));

    private static string CertPath(string certsDir, string name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{field} is empty; name a file under {certsDir}");
        if (name.Contains('/') || name == ".." )
            throw new ArgumentException($"{field} '{name}' must be a file name under {certsDir}, not a path");
        var path = Path.Combine(certsDir, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{field} '{name}' not found: {path} does not exist", path);
        return path;
    }
}
