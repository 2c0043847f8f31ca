using System.Reflection;

namespace KubeOS.Agent.Tests.Support;

/// <summary>
/// The image's own grub.cfg template (module/deploy/image/grub.cfg) with dm-verity kernel lines as the image builder
/// writes them, so the agent is tested against the boot configuration a verity node really has.
/// </summary>
public static class ImageGrubCfg
{
    public static string Render(string rootHashA, string rootHashB)
    {
        var repo = typeof(ImageGrubCfg).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
        return File.ReadAllText(Path.Combine(repo, "module", "deploy", "image", "grub.cfg"))
            .Replace("@TIMEOUT@", "3")
            .Replace("@CMDLINE_A@", CommandLine('A', rootHashA))
            .Replace("@CMDLINE_B@", CommandLine('B', rootHashB));
    }

    private static string CommandLine(char entry, string rootHash) =>
        $"root=/dev/mapper/root systemd.verity_root_data=PARTLABEL=ROOT-{entry} systemd.verity_root_hash=PARTLABEL=HASH-{entry} roothash={rootHash} ro rootfstype=ext4 rootwait panic=3";
}
