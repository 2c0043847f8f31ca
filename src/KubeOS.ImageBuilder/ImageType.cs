namespace KubeOS.ImageBuilder;

/// <summary>What to build (kbimg's IMAGE_TYPE).</summary>
public enum ImageType
{
    /// <summary>A bootable GPT disk (raw and qcow2) with A/B roots and PERSIST (kbimg <c>vm-img</c>).</summary>
    Vm,
    /// <summary>The upgrade payloads: root ext4 image, rootfs tar and an OCI image holding /os.tar (kbimg <c>upgrade-img</c>).</summary>
    Upgrade,
    /// <summary>The admin container image: sshd, nsenter and debugging tools as an OCI image (kbimg <c>admin-container</c>).</summary>
    Admin,
    /// <summary>Network install: kernel, installer initramfs and the root image it fetches over HTTP (kbimg <c>pxe-img</c>).</summary>
    Pxe,
}

public static class ImageTypeNames
{
    /// <summary>Accepts our names and KubeOS's (<c>vm-img</c>, <c>upgrade-img</c>, <c>pxe-img</c>, <c>admin-container</c>).</summary>
    public static bool TryParse(string text, out ImageType type)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "vm": case "vm-img": type = ImageType.Vm; return true;
            case "upgrade": case "upgrade-img": type = ImageType.Upgrade; return true;
            case "admin": case "admin-img": case "admin-container": type = ImageType.Admin; return true;
            case "pxe": case "pxe-img": type = ImageType.Pxe; return true;
            default: type = default; return false;
        }
    }

    public static readonly string[] All = ["vm", "vm-img", "upgrade", "upgrade-img", "admin", "admin-img", "admin-container", "pxe", "pxe-img"];
}
