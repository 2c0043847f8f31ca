using System.Security.Cryptography;

namespace KubeOS.ImageBuilder;

public static class Sha256File
{
    /// <summary>Lowercase hex SHA-256 of a file, streamed (images are gigabytes).</summary>
    public static async Task<string> ComputeAsync(string path, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, ct)).ToLowerInvariant();
    }
}
