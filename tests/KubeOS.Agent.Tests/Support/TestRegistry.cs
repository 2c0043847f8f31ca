using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeOS.Agent.Tests.Support;

/// <summary>
/// Debian's docker-registry on 127.0.0.1 with Docker token authentication, and a token service of the test's own that
/// hands out signed tokens for whatever scope is asked. Also pushes blobs and manifests, as a builder would.
/// </summary>
public sealed class TestRegistry : IDisposable
{
    private const string Service = "kubeos-test-registry";
    private const string Issuer = "kubeos-test-issuer";
    private readonly Process _registry;
    private readonly HttpListener _tokens = new();
    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly X509Certificate2 _signingCert;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();

    public TestRegistry(string dir)
    {
        var request = new CertificateRequest("CN=" + Issuer, _signingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _signingCert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "token-ca.pem"), _signingCert.ExportCertificatePem());

        var tokenPort = FreePort();
        _tokens.Prefixes.Add($"http://127.0.0.1:{tokenPort}/");
        _tokens.Start();
        _ = Task.Run(ServeTokens);

        Port = FreePort();
        var config = Path.Combine(dir, "registry.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "registry-data")}
            http:
              addr: 127.0.0.1:{Port}
            auth:
              token:
                realm: http://127.0.0.1:{tokenPort}/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {Path.Combine(dir, "token-ca.pem")}
            """);
        _registry = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        _registry.OutputDataReceived += (_, _) => { };
        _registry.ErrorDataReceived += (_, _) => { };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = _http.GetAsync($"http://127.0.0.1:{Port}/v2/").GetAwaiter().GetResult();
                if (probe.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.OK)
                    break;
            }
            catch (HttpRequestException)
            {
            }
            if (_registry.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException("docker-registry did not start");
            Thread.Sleep(100);
        }
    }

    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";
    public int TokensIssued;

    public async Task<string> PushBlobAsync(string repository, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var token = Token(repository, "pull,push");
        using var start = new HttpRequestMessage(HttpMethod.Post, $"http://{Host}/v2/{repository}/blobs/uploads/");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var started = await _http.SendAsync(start);
        started.EnsureSuccessStatusCode();
        var location = started.Headers.Location!.IsAbsoluteUri ? started.Headers.Location : new Uri(new Uri($"http://{Host}"), started.Headers.Location);
        var put = new UriBuilder(location) { Query = (location.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + "digest=" + Uri.EscapeDataString(digest) };
        using var upload = new HttpRequestMessage(HttpMethod.Put, put.Uri) { Content = new ByteArrayContent(blob) };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await _http.SendAsync(upload);
        done.EnsureSuccessStatusCode();
        return digest;
    }

    public async Task<string> PushManifestAsync(string repository, string reference, string mediaType, byte[] manifest)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"http://{Host}/v2/{repository}/manifests/{reference}") { Content = new ByteArrayContent(manifest) };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(repository, "pull,push"));
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.SendAsync(put);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"manifest push failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
    }

    private async Task ServeTokens()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _tokens.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }
            var scope = context.Request.QueryString["scope"] ?? "";
            var parts = scope.Split(':');
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = Token(parts.Length == 3 ? parts[1] : "", parts.Length == 3 ? parts[2] : "pull") }.ToJsonString());
            Interlocked.Increment(ref TokensIssued);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    /// <summary>An RS256 JWT whose x5c header carries the certificate the registry trusts.</summary>
    private string Token(string repository, string actions)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_signingCert.RawData)) };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray();
        if (repository.Length > 0)
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = repository, ["actions"] = new JsonArray(actions.Split(',').Select(a => (JsonNode)a).ToArray()) });
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = "node", ["aud"] = Service, ["exp"] = now + 600, ["nbf"] = now - 60, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("n"), ["access"] = access,
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _signingKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _tokens.Close();
        if (!_registry.HasExited)
            _registry.Kill();
        _registry.WaitForExit();
        _registry.Dispose();
        _http.Dispose();
    }
}

/// <summary>Builds the image a KubeOS admin pushes: one gzip layer holding /os.tar, in an OCI manifest.</summary>
public static class OsTarImage
{
    public static byte[] Layer(byte[] osTar)
    {
        var tar = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "os.tar") { DataStream = new MemoryStream(osTar) };
            writer.WriteEntry(entry);
        }
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar.ToArray());
        return gz.ToArray();
    }

    public static byte[] Manifest(string configDigest, int configSize, string layerDigest, int layerSize) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configSize },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = layerDigest, ["size"] = layerSize }),
        }.ToJsonString());

    public static byte[] Index(params (string Digest, int Size, string Architecture)[] manifests) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(manifests.Select(m => (JsonNode)new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = m.Digest, ["size"] = m.Size,
                ["platform"] = new JsonObject { ["architecture"] = m.Architecture, ["os"] = "linux" },
            }).ToArray()),
        }.ToJsonString());
}
