namespace KubeOS.ImageBuilder;

/// <summary>What to build (kbimg's IMAGE_TYPE).</summary>
public enum ImageType
{
    /// <summary>A bootable GPT disk (raw and qcow2) with A/B roots and PERSIST (kbimg <c>vm-img</c>).</summary>
    Vm,
    /// <summary>The upgrade payloads: root ext4 image, rootfs tar and an OCI image holding /os.tar (kbimg <c>upgrade-img</c>).</summary>
    Upgrade,
}

public static class ImageTypeNames
{
    /// <summary>Accepts our names and KubeOS's (<c>vm-img</c>, <c>upgrade-img</c>).</summary>
    public static bool TryParse(string text, out ImageType type)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "vm": case "vm-img": type = ImageType.Vm; return true;
            case "upgrade": case "upgrade-img": type = ImageType.Upgrade; return true;
            default: type = default; return false;
        }
    }

    public static readonly string[] All = ["vm", "vm-img", "upgrade", "upgrade-img"];
}
