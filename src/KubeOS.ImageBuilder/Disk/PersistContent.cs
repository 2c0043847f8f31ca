using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Disk;

/// <summary>The initial PERSIST content: overlay upper/work dirs, /var seeded from the image, the user's folders.</summary>
public static class PersistContent
{
    /// <returns>A folder holding the content, for mkfs.ext4 -d.</returns>
    public static async Task<string> PrepareAsync(ProcessRunner runner, ImageConfig config, string rootfs, string work, CancellationToken ct)
    {
        var persist = Path.Combine(work, "persist");
        foreach (var dir in new[] { "etc", "etcwork", "opt", "optwork", "etc/KubeOS/certs" }.Concat(config.PersistDirectories))
            Directory.CreateDirectory(Path.Combine(persist, dir.TrimStart('/')));
        // cp -a keeps owners, modes and links of /var.
        await runner.RunAsync("cp", ["-a", Path.Combine(rootfs, "var"), persist], ct);
        return persist;
    }
}
