using KubeOS.Api.Agent;

namespace KubeOS.Agent.Images;

/// <summary>Checks an UpgradeRequest before anything is downloaded or written.</summary>
public static class UpgradeRequestValidator
{
    /// <summary>The protocol's checks, then a full parse of the image reference the registry client will use.</summary>
    public static void Validate(UpgradeRequest request)
    {
        UpgradeRequestChecks.Validate(request);
        if (request.ImageType is ImageTypes.Docker or ImageTypes.Containerd)
            Oci.ImageReference.Parse(request.ContainerImage);
    }
}
