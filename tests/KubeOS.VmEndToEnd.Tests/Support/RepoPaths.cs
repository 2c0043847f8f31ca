using System.Reflection;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>Where the repository and the packaged module are, from the build's assembly metadata.</summary>
public static class RepoPaths
{
    private static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Root { get; } = Path.GetFullPath(Metadata("RepoRoot"));
    public static string ModuleManifest { get; } = Path.Combine(Root, "out", "KubeOS", Metadata("KubeOSVersion"), "KubeOS.psd1");
    public static string GuestFiles { get; } = Path.Combine(Root, "tests", "KubeOS.VmEndToEnd.Tests", "GuestFiles");
}
