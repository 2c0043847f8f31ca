using System.Text.RegularExpressions;
namespace KubeOS.Api.Agent;

/// <summary>
/// The checks an UpgradeRequest must pass before anything is fetched or written. One copy, shared by os-agent and the
/// sandbox's simulated agent, so both refuse the same requests with the same messages.
/// </summary>
public static partial class UpgradeRequestChecks
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the field and the fix; returns the normalised checksum.</summary>
    public static string Validate(UpgradeRequest request)
    {
        switch (request.ImageType)
        {
            case ImageTypes.Disk:
                if (string.IsNullOrWhiteSpace(request.ImageUrl))
                    throw new ArgumentException("image_url is empty; imagetype disk needs the URL of the root filesystem tar or image");
                var checkSum = NormalizeChecksum(request.CheckSum);
                if (!Uri.TryCreate(request.ImageUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new ArgumentException($"image_url '{request.ImageUrl}' is not an http:// or https:// URL");
                if (uri.Scheme == "http" && !request.FlagSafe)
                    throw new ArgumentException($"image_url '{request.ImageUrl}' is plain http; set flagSafe: true to allow it, or serve the image over https");
                return checkSum;
            case ImageTypes.Docker or ImageTypes.Containerd:
                if (string.IsNullOrWhiteSpace(request.ContainerImage))
                    throw new ArgumentException($"container_image is empty; imagetype {request.ImageType} needs the image holding /os.tar");
                if (!ImageReference().IsMatch(request.ContainerImage))
                    throw new ArgumentException($"container_image '{request.ContainerImage}' is not an image reference like registry.example.com:5000/kubeos/os:v2 or …@sha256:<64 hex>");
                return NormalizeChecksum(request.CheckSum);
            default:
                throw new ArgumentException($"image_type '{request.ImageType}' is not one of disk, docker, containerd");
        }
    }

    /// <summary>Lowercase 64-digit hex, the form sha256sum prints.</summary>
    public static string NormalizeChecksum(string checkSum)
    {
        var value = checkSum.Trim().ToLowerInvariant();
        if (value.StartsWith("sha256:", StringComparison.Ordinal))
            value = value["sha256:".Length..];
        if (value.Length != 64 || !value.All(Uri.IsHexDigit))
            throw new ArgumentException($"check_sum '{checkSum}' is not a SHA-256 (64 hex digits); give the output of sha256sum for the image");
        return value;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();
}
