using KubeOS.ImageBuilder;

namespace KubeOS.PowerShell.Images;

/// <summary>
/// The -Type values. A ValidateSet needs constants, so the names are written here; a test checks they are exactly
/// the library's image types.
/// </summary>
public static class ImageTypeParameter
{
    public const string Vm = "vm";
    public const string Upgrade = "upgrade";
    public const string Admin = "admin";
    public const string Pxe = "pxe";

    public static ImageType Parse(string name) =>
        ImageTypeNames.TryParse(name, out var type) ? type : throw new ArgumentOutOfRangeException(nameof(name), name, "unknown image type");

    public static string Name(ImageType type) => type.ToString().ToLowerInvariant();
}
