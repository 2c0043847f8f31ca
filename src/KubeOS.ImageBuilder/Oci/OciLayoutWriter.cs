using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace KubeOS.ImageBuilder.Oci;

/// <summary>The written image: its manifest (digest = the OS object's checksum for docker/containerd) and blobs.</summary>
public sealed record OciImage(string LayoutDirectory, string Tag, OciDescriptor Manifest, OciDescriptor Config, OciDescriptor Layer)
{
    public string BlobPath(string digest) => Path.Combine(LayoutDirectory, "blobs", "sha256", digest["sha256:".Length..]);
}

/// <summary>
/// Writes one-layer images as an OCI image layout directory, the format skopeo, umoci and registries understand:
/// KubeOS's upgrade image (FROM scratch, one layer holding /os.tar, CMD /bin/sh) and the admin container image.
/// </summary>
public static class OciLayoutWriter
{
    public static Task<OciImage> WriteAsync(string osTar, string layoutDirectory, string tag, string version, CancellationToken ct) =>
        WriteImageAsync(layoutDirectory, tag, new OciRuntimeConfig(["/bin/sh"]), new OciHistory("kbimg upgrade-img", $"KubeOS {version}: /os.tar"),
            new Dictionary<string, string> { ["org.opencontainers.image.version"] = version },
            (plain, token) => WriteOsTarEntryAsync(plain, osTar, token), ct);

    /// <summary>
    /// Writes a one-layer image. <paramref name="writeLayerTar"/> writes the layer's uncompressed tar stream; it is
    /// gzip'd and hashed on the way (digest of the compressed bytes, diff_id of the plain ones).
    /// </summary>
    public static async Task<OciImage> WriteImageAsync(string layoutDirectory, string tag, OciRuntimeConfig runtime, OciHistory history,
        Dictionary<string, string> annotations, Func<Stream, CancellationToken, Task> writeLayerTar, CancellationToken ct)
    {
        if (Directory.Exists(layoutDirectory)) Directory.Delete(layoutDirectory, recursive: true);
        var blobs = Path.Combine(layoutDirectory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        var layer = await WriteLayerAsync(writeLayerTar, blobs, ct);
        var config = new OciImageConfig("amd64", "linux", runtime, new OciRootfs("layers", [layer.DiffId]), [history]);
        var configDescriptor = await WriteBlobAsync(blobs, OciMediaTypes.Config,
            JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.OciImageConfig), ct);
        var manifest = new OciManifest(2, OciMediaTypes.Manifest, configDescriptor, [layer.Descriptor], annotations);
        var manifestDescriptor = await WriteBlobAsync(blobs, OciMediaTypes.Manifest,
            JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.OciManifest), ct);

        var index = new OciIndex(2, OciMediaTypes.Index,
            [manifestDescriptor with { Annotations = new() { ["org.opencontainers.image.ref.name"] = tag } }]);
        await File.WriteAllBytesAsync(Path.Combine(layoutDirectory, "index.json"),
            JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.OciIndex), ct);
        await File.WriteAllBytesAsync(Path.Combine(layoutDirectory, "oci-layout"),
            JsonSerializer.SerializeToUtf8Bytes(new OciLayoutMarker("1.0.0"), OciJsonContext.Default.OciLayoutMarker), ct);
        return new OciImage(layoutDirectory, tag, manifestDescriptor, configDescriptor, layer.Descriptor);
    }

    /// <summary>KubeOS's upgrade layer: a tar holding the root filesystem tar as /os.tar.</summary>
    private static async Task WriteOsTarEntryAsync(Stream plain, string osTar, CancellationToken ct)
    {
        var writer = new TarWriter(plain, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "os.tar")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = File.GetLastWriteTimeUtc(osTar),
            };
            await using var source = new FileStream(osTar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            entry.DataStream = source;
            await writer.WriteEntryAsync(entry, ct);
        }
    }

    /// <summary>Streams the layer tar into a gzip'd blob once, hashing the compressed (digest) and plain (diff_id) bytes.</summary>
    private static async Task<(OciDescriptor Descriptor, string DiffId)> WriteLayerAsync(Func<Stream, CancellationToken, Task> writeLayerTar,
        string blobs, CancellationToken ct)
    {
        var temp = Path.Combine(blobs, ".layer.tmp");
        string digest, diffId;
        long size;
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var compressed = new HashingStream(file, leaveOpen: true);
            await using (compressed)
            {
                var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
                await using (gzip)
                {
                    var plain = new HashingStream(gzip, leaveOpen: true);
                    await using (plain)
                    {
                        await writeLayerTar(plain, ct);
                        diffId = plain.Digest();
                    }
                }
                digest = compressed.Digest();
                size = compressed.BytesWritten;
            }
        }
        File.Move(temp, Path.Combine(blobs, digest["sha256:".Length..]), overwrite: true);
        return (new OciDescriptor(OciMediaTypes.LayerGzip, digest, size), diffId);
    }

    private static async Task<OciDescriptor> WriteBlobAsync(string blobs, string mediaType, byte[] content, CancellationToken ct)
    {
        var digest = "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest["sha256:".Length..]), content, ct);
        return new OciDescriptor(mediaType, digest, content.Length);
    }
}
