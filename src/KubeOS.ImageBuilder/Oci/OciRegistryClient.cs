using System.Net;
using System.Net.Http.Headers;

namespace KubeOS.ImageBuilder.Oci;

/// <summary>
/// Pushes an image with the plain OCI distribution API: each blob is uploaded (POST then a monolithic PUT) unless the
/// registry already has it, then the manifest is PUT under the tag.
/// </summary>
public sealed class OciRegistryClient(HttpClient http, bool plainHttp)
{
    /// <returns>The manifest digest the registry reports.</returns>
    public async Task<string> PushAsync(OciImage image, ImageReference target, CancellationToken ct)
    {
        var baseUri = new Uri($"{(plainHttp ? "http" : "https")}://{target.Registry}/v2/{target.Repository}/");
        foreach (var blob in new[] { image.Layer, image.Config })
            await PushBlobAsync(baseUri, blob, image.BlobPath(blob.Digest), ct);

        var manifest = await File.ReadAllBytesAsync(image.BlobPath(image.Manifest.Digest), ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUri, "manifests/" + target.Tag))
        {
            Content = new ByteArrayContent(manifest),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(image.Manifest.MediaType);
        using var response = await http.SendAsync(put, ct);
        await EnsureAsync(response, $"PUT manifest {target}", ct);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : image.Manifest.Digest;
        if (digest != image.Manifest.Digest)
            throw new HttpRequestException($"registry stored manifest {digest}, expected {image.Manifest.Digest}");
        return digest;
    }

    private async Task PushBlobAsync(Uri baseUri, OciDescriptor blob, string path, CancellationToken ct)
    {
        using (var head = new HttpRequestMessage(HttpMethod.Head, new Uri(baseUri, "blobs/" + blob.Digest)))
        using (var exists = await http.SendAsync(head, ct))
        {
            if (exists.StatusCode == HttpStatusCode.OK) return;
        }

        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "blobs/uploads/"));
        using var started = await http.SendAsync(start, ct);
        await EnsureAsync(started, $"start upload of {blob.Digest}", ct);
        var location = started.Headers.Location ?? throw new HttpRequestException("registry returned no upload Location");
        var uploadUri = location.IsAbsoluteUri ? location : new Uri(baseUri, location);
        var separator = uploadUri.Query.Length > 0 ? "&" : "?";
        var putUri = new Uri(uploadUri + separator + "digest=" + Uri.EscapeDataString(blob.Digest));

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var put = new HttpRequestMessage(HttpMethod.Put, putUri) { Content = new StreamContent(file, 1 << 20) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Content.Headers.ContentLength = blob.Size;
        using var done = await http.SendAsync(put, ct);
        await EnsureAsync(done, $"upload of {blob.Digest}", ct);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException($"{what} failed: {(int)response.StatusCode} {response.ReasonPhrase} {body}".Trim(), null, response.StatusCode);
    }
}
