using System.Text.Json.Serialization;

namespace KubeOS.ImageBuilder.Oci;

public static class OciMediaTypes
{
    public const string Manifest = "application/vnd.oci.image.manifest.v1+json";
    public const string Index = "application/vnd.oci.image.index.v1+json";
    public const string Config = "application/vnd.oci.image.config.v1+json";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
}

public sealed record OciDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("annotations")] Dictionary<string, string>? Annotations = null);

public sealed record OciManifest(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("config")] OciDescriptor Config,
    [property: JsonPropertyName("layers")] IReadOnlyList<OciDescriptor> Layers,
    [property: JsonPropertyName("annotations")] Dictionary<string, string>? Annotations = null);

public sealed record OciIndex(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("manifests")] IReadOnlyList<OciDescriptor> Manifests);

public sealed record OciLayoutMarker([property: JsonPropertyName("imageLayoutVersion")] string ImageLayoutVersion);

public sealed record OciImageConfig(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("config")] OciRuntimeConfig Config,
    [property: JsonPropertyName("rootfs")] OciRootfs Rootfs,
    [property: JsonPropertyName("history")] IReadOnlyList<OciHistory> History);

public sealed record OciRuntimeConfig(
    [property: JsonPropertyName("Cmd")] IReadOnlyList<string>? Cmd,
    [property: JsonPropertyName("Entrypoint")] IReadOnlyList<string>? Entrypoint = null,
    [property: JsonPropertyName("Env")] IReadOnlyList<string>? Env = null,
    [property: JsonPropertyName("ExposedPorts")] IReadOnlyDictionary<string, OciEmpty>? ExposedPorts = null,
    [property: JsonPropertyName("WorkingDir")] string? WorkingDir = null,
    [property: JsonPropertyName("Labels")] IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>The empty JSON object the image spec uses as the value of set-like maps (ExposedPorts).</summary>
public sealed record OciEmpty;

public sealed record OciRootfs(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("diff_ids")] IReadOnlyList<string> DiffIds);

public sealed record OciHistory(
    [property: JsonPropertyName("created_by")] string CreatedBy,
    [property: JsonPropertyName("comment")] string Comment);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciLayoutMarker))]
[JsonSerializable(typeof(OciImageConfig))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
