using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace KubeOS.Agent.Images.Oci;

/// <summary>
/// Reads manifests and blobs over the OCI distribution API. Answers a 401 with a Bearer challenge by fetching an
/// anonymous pull token from the realm the registry names, once, and retrying.
/// </summary>
public sealed class RegistryClient(HttpClient http, ImageReference image, bool plainHttp)
{
    private AuthenticationHeaderValue? _authorization;

    private string BaseUrl => $"{(plainHttp ? "http" : "https")}://{image.Registry}/v2/{image.Repository}";

    /// <summary>The manifest's bytes and their sha256 digest, checked against the digest it was asked by (if any).</summary>
    public async Task<(byte[] Bytes, string Digest, OciManifest Manifest)> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{BaseUrl}/manifests/{reference}");
            foreach (var type in new[] { OciMediaTypes.OciIndex, OciMediaTypes.OciManifest, OciMediaTypes.DockerManifestList, OciMediaTypes.DockerManifest })
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference != digest)
            throw new InvalidDataException($"registry {image.Registry} returned manifest {digest} when asked for {reference}");
        var manifest = JsonSerializer.Deserialize(bytes, OciJsonContext.Default.OciManifest)
                       ?? throw new InvalidDataException($"manifest {reference} of {image} is empty");
        manifest.MediaType ??= response.Content.Headers.ContentType?.MediaType;
        return (bytes, digest, manifest);
    }

    /// <summary>The blob's body as a stream; the caller hashes it and compares with the digest.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(string digest, CancellationToken cancellationToken) =>
        await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{BaseUrl}/blobs/{digest}"), cancellationToken).ConfigureAwait(false);

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = _authorization;
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new IOException($"registry {image.Registry} could not be reached for {image}: {e.Message}", e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && BearerChallenge(response) is { } challenge)
            {
                response.Dispose();
                _authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(challenge, cancellationToken).ConfigureAwait(false));
                continue;
            }
            if (response.IsSuccessStatusCode)
                return response;
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new IOException($"registry {image.Registry} answered {request.RequestUri}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} {Trim(body)}");
        }
    }

    private static Dictionary<string, string>? BearerChallenge(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (header?.Parameter is not { } parameter)
            return null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(parameter, "(\\w+)=\"([^\"]*)\""))
            values[m.Groups[1].Value] = m.Groups[2].Value;
        return values.ContainsKey("realm") ? values : null;
    }

    private async Task<string> FetchTokenAsync(Dictionary<string, string> challenge, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (challenge.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        query.Add("scope=" + Uri.EscapeDataString(challenge.GetValueOrDefault("scope") ?? $"repository:{image.Repository}:pull"));
        var url = challenge["realm"] + (challenge["realm"].Contains('?') ? "&" : "?") + string.Join('&', query);
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new IOException($"token service {challenge["realm"]} refused a pull token for {image}: HTTP {(int)response.StatusCode}");
        var token = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), OciJsonContext.Default.RegistryToken);
        return token?.Token ?? token?.AccessToken ?? throw new InvalidDataException($"token service {challenge["realm"]} answered without a token");
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body.Trim();
}
