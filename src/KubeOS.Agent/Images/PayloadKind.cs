namespace KubeOS.Agent.Images;

public enum PayloadKind
{
    /// <summary>A root filesystem tar (KubeOS's kubeos.tar / os.tar): unpacked into a fresh ext4.</summary>
    Tar,

    /// <summary>The same tar compressed with gzip.</summary>
    TarGzip,

    /// <summary>A filesystem image (ext4, squashfs, …) written to the partition byte for byte.</summary>
    Raw,
}

/// <summary>Tells a root filesystem tar from a raw filesystem image by the first bytes of the payload.</summary>
public static class PayloadDetector
{
    /// <summary>Enough bytes for the ext superblock magic (offset 1080) and the tar magic (offset 257).</summary>
    public const int ProbeBytes = 4096;

    public static PayloadKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            return PayloadKind.TarGzip;
        // POSIX ustar ("ustar\0") and GNU tar ("ustar  \0") both carry "ustar" at 257.
        if (head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8))
            return PayloadKind.Tar;
        return PayloadKind.Raw;
    }

    public static string Describe(PayloadKind kind) => kind switch
    {
        PayloadKind.Tar => "tar",
        PayloadKind.TarGzip => "tar.gz",
        _ => "raw",
    };

    /// <summary>True for ext2/3/4, whose label must be set to the target partition's after a raw write.</summary>
    public static bool IsExtFilesystem(ReadOnlySpan<byte> head) =>
        head.Length >= 1082 && head[1080] == 0x53 && head[1081] == 0xEF;
}
