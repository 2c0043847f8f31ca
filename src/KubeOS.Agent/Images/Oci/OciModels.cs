using System.Text.Json.Serialization;

namespace KubeOS.Agent.Images.Oci;

/// <summary>Media types of the OCI image spec and their Docker registry v2 equivalents.</summary>
public static class OciMediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;
}

/// <summary>An image manifest or an index (manifest list); which one is told by mediaType or by which list is present.</summary>
public sealed class OciManifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; }
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("manifests")] public List<OciDescriptor>? Manifests { get; set; }
    [JsonPropertyName("config")] public OciDescriptor? Config { get; set; }
    [JsonPropertyName("layers")] public List<OciDescriptor>? Layers { get; set; }
}

public sealed class OciDescriptor
{
    [JsonPropertyName("mediaType")] public string MediaType { get; set; } = "";
    [JsonPropertyName("digest")] public string Digest { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("platform")] public OciPlatform? Platform { get; set; }
}

public sealed class OciPlatform
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
    [JsonPropertyName("variant")] public string? Variant { get; set; }
}

/// <summary>Answer of a registry token service (Docker token authentication).</summary>
public sealed class RegistryToken
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
}

[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(RegistryToken))]
internal sealed partial class OciJsonContext : JsonSerializerContext
{
}
