namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>What a root filesystem is for; decides the base packages and how they are installed.</summary>
public enum RootfsProfile
{
    /// <summary>A bootable KubeOS root: kernel, init and initramfs generator plus the user's packages.</summary>
    Node,
    /// <summary>A container root (the admin image): the listed packages only, no kernel, no recommended packages.</summary>
    Container,
    /// <summary>Packages unpacked without being configured, a source of binaries and libraries (the PXE installer).</summary>
    Extract,
}

/// <summary>The inputs that determine a base root filesystem (and so its cache key).</summary>
public sealed record RootfsRequest(string Suite, string Mirror, string? SourcesFile, IReadOnlyList<string> Packages,
    RootfsProfile Profile = RootfsProfile.Node);
