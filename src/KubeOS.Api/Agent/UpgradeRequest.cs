using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>Parameters of <c>prepare_upgrade</c>, field for field KubeOS's UpgradeRequest (every field is always written,
/// because KubeOS's agent rejects a request with a missing one).</summary>
public sealed class UpgradeRequest
{
    [JsonPropertyName("version")] public string Version { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the payload (disk) or the image digest (docker/containerd).</summary>
    [JsonPropertyName("check_sum")] public string CheckSum { get; set; } = "";

    /// <summary>disk, docker or containerd (<see cref="ImageTypes"/>).</summary>
    [JsonPropertyName("image_type")] public string ImageType { get; set; } = "";
    [JsonPropertyName("container_image")] public string ContainerImage { get; set; } = "";
    [JsonPropertyName("image_url")] public string ImageUrl { get; set; } = "";

    /// <summary>Allows a plain-http <see cref="ImageUrl"/>.</summary>
    [JsonPropertyName("flag_safe")] public bool FlagSafe { get; set; }
    [JsonPropertyName("mtls")] public bool Mtls { get; set; }
    [JsonPropertyName("certs")] public CertsInfo Certs { get; set; } = new();

    /// <summary>
    /// Not in KubeOS: the most bytes per second the download may take (spec.prestage.bandwidthlimit); 0 = unlimited.
    /// Left out of the message when 0, so a request without a limit is byte for byte KubeOS's.
    /// </summary>
    [JsonPropertyName("bandwidth_limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long BandwidthLimit { get; set; }
}

/// <summary>File names (not paths) under the agent's certificate directory, /etc/KubeOS/certs on a node.</summary>
public sealed class CertsInfo
{
    [JsonPropertyName("ca_cert")] public string CaCert { get; set; } = "";
    [JsonPropertyName("client_cert")] public string ClientCert { get; set; } = "";
    [JsonPropertyName("client_key")] public string ClientKey { get; set; } = "";
}
