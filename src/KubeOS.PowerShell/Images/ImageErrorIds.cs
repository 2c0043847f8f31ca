namespace KubeOS.PowerShell.Images;

/// <summary>
/// Error ids of New-KubeOSImage. Scripts match on them (<c>$_.FullyQualifiedErrorId -like 'ImageConfigInvalid,*'</c>),
/// so they never change once released.
/// </summary>
public static class ImageErrorIds
{
    public const string ImageConfigNotFound = "ImageConfigNotFound";
    public const string ImageConfigInvalid = "ImageConfigInvalid";
    public const string ImageBuildToolsMissing = "ImageBuildToolsMissing";
    public const string ImageBuildRequiresRoot = "ImageBuildRequiresRoot";
    public const string ImageBuildNotSupported = "ImageBuildNotSupported";
    public const string ImagePushFailed = "ImagePushFailed";
    public const string ImageBuildFailed = "ImageBuildFailed";
}
