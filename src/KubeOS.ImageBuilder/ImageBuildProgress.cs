namespace KubeOS.ImageBuilder;

public enum ImageBuildStage
{
    Validate,
    Rootfs,
    Customize,
    RootImage,
    BootFiles,
    Disk,
    Verity,
    Convert,
    RootfsTar,
    OciImage,
    Push,
    Checksums,
    Done,
    /// <summary>PXE: assembling the installer initramfs.</summary>
    Initramfs,
}

/// <summary>One progress report: the stage, its position among the planned stages and a line for humans.</summary>
public sealed record ImageBuildProgress(ImageBuildStage Stage, int StageIndex, int StageCount, string Message)
{
    public int PercentComplete => StageCount <= 1 ? 100 : Math.Min(100, StageIndex * 100 / (StageCount - 1));
}
