using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using KubeOS.Agent.Disk;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Images.Oci;

/// <summary>
/// imagetype docker/containerd without a container runtime: the image is pulled over the OCI distribution API, its
/// digest compared with check_sum before anything is written, and /os.tar streamed out of its layer onto the standby
/// partition while the layer's own digest is verified.
/// </summary>
public sealed class OciImageStager(StandbyWriter writer, string certsDir)
{
    private readonly PayloadInstaller _installer = new(writer);

    public async Task<StagedImage> StageAsync(UpgradeRequest request, RootPartition target, Action writeStarting, CancellationToken cancellationToken)
    {
        var image = ImageReference.Parse(request.ContainerImage);
        var expected = "sha256:" + UpgradeRequestChecks.NormalizeChecksum(request.CheckSum);
        using var http = ImageHttpClientFactory.CreateForRegistry(request, certsDir);
        var registry = new RegistryClient(http, image, plainHttp: request.FlagSafe);

        var (_, digest, manifest) = await registry.GetManifestAsync(image.Reference, cancellationToken).ConfigureAwait(false);
        if (digest != expected)
            throw new InvalidDataException(
                $"check_sum mismatch for {image}: the registry serves digest {digest}, check_sum is {expected}; nothing was written");
        if (OciMediaTypes.IsIndex(manifest.MediaType) || manifest.Manifests is not null)
        {
            var platform = PlatformManifest(manifest, image);
            (_, _, manifest) = await registry.GetManifestAsync(platform.Digest, cancellationToken).ConfigureAwait(false);
        }
        var layers = manifest.Layers ?? throw new InvalidDataException($"manifest of {image} lists no layers");

        // /os.tar is normally the only file of the top layer; search from the top down.
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var staged = await TryLayerAsync(registry, image, layers[i], request, target, writeStarting, cancellationToken).ConfigureAwait(false);
            if (staged is not null)
                return staged;
        }
        throw new InvalidDataException($"image {image} has no /os.tar in any of its {layers.Count} layer(s); build it with the root filesystem tar at /os.tar");
    }

    private async Task<StagedImage?> TryLayerAsync(RegistryClient registry, ImageReference image, OciDescriptor layer, UpgradeRequest request,
        RootPartition target, Action writeStarting, CancellationToken cancellationToken)
    {
        var compression = Compression(layer.MediaType, image);
        using var response = await registry.GetBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
        await using var body = new HashingReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var started = false;
        InstalledPayload? installed = null;
        try
        {
            var layerStream = compression == "gzip" ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : (Stream)body;
            await using (layerStream.ConfigureAwait(false))
            {
                var reader = new TarReader(layerStream, leaveOpen: true);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.Name.TrimStart('.', '/') != "os.tar" || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                        continue;
                    if (entry.Length > target.SizeBytes)
                        throw new ImageTooLargeException(
                            $"/os.tar in {image} is {entry.Length} bytes, larger than partition {target.Name} ({target.Device}, {target.SizeBytes} bytes); nothing was written");
                    installed = await _installer.InstallAsync(entry.DataStream!, $"{image} /os.tar", target, () =>
                    {
                        started = true;
                        writeStarting();
                    }, cancellationToken).ConfigureAwait(false);
                    break;
                }
            }
            // The layer digest covers the whole blob, including what follows os.tar.
            await body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            var actual = "sha256:" + body.HexDigest();
            if (actual != layer.Digest)
                throw new InvalidDataException($"layer {layer.Digest} of {image} arrived with digest {actual}; the standby partition was discarded");
            if (installed is null)
                return null;
            await PayloadInstaller.FinishAsync(installed, target, cancellationToken).ConfigureAwait(false);
        }
        catch when (started)
        {
            await StandbyWriter.InvalidateAsync(target).ConfigureAwait(false);
            throw;
        }
        return StagedImageRecord.Of(request, target, request.ImageType, installed, request.CheckSum.Trim().ToLowerInvariant(), body.BytesRead);
    }

    private static OciDescriptor PlatformManifest(OciManifest index, ImageReference image)
    {
        var architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return index.Manifests?.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == architecture)
               ?? throw new InvalidDataException(
                   $"image {image} has no linux/{architecture} manifest (it has: {string.Join(", ", index.Manifests?.Select(m => $"{m.Platform?.Os}/{m.Platform?.Architecture}") ?? [])})");
    }

    private static string Compression(string mediaType, ImageReference image)
    {
        if (mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal))
            return "gzip";
        if (mediaType.EndsWith(".tar", StringComparison.Ordinal))
            return "none";
        throw new NotSupportedException($"layer media type {mediaType} of {image} is not supported; push the image with gzip or uncompressed layers");
    }
}
