using KubeOS.Api.Agent;

namespace KubeOS.Agent.Images;

/// <summary>Checks an UpgradeRequest before anything is downloaded or written.</summary>
public static class UpgradeRequestValidator
{
    public static void Validate(UpgradeRequest request)
    {
        switch (request.ImageType)
        {
            case ImageTypes.Disk:
                if (string.IsNullOrWhiteSpace(request.ImageUrl))
                    throw new ArgumentException("image_url is empty; imagetype disk needs the URL of the root filesystem tar or image");
                NormalizeChecksum(request.CheckSum);
                break;
            case ImageTypes.Docker or ImageTypes.Containerd:
                if (string.IsNullOrWhiteSpace(request.ContainerImage))
                    throw new ArgumentException($"container_image is empty; imagetype {request.ImageType} needs the image holding /os.tar");
                Oci.ImageReference.Parse(request.ContainerImage);
                NormalizeChecksum(request.CheckSum);
                break;
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
}
