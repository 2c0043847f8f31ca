using System.Reflection;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>Where the repository, the packaged module and the script host are, from the build's assembly metadata.</summary>
public static class RepoPaths
{
    private static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Root { get; } = Path.GetFullPath(Metadata("RepoRoot"));
    public static string ModuleVersion { get; } = Metadata("KubeOSVersion");
    public static string ModuleFolder { get; } = Path.Combine(Root, "out", "KubeOS", ModuleVersion);
    public static string ModuleManifest { get; } = Path.Combine(ModuleFolder, "KubeOS.psd1");
    public static string ScriptHost { get; } = Metadata("ScriptHostPath");
    public static string HelpGen { get; } = Metadata("HelpGenPath");
    public static string HelpSources { get; } = Path.Combine(Root, "en-US");
    public static string Samples { get; } = Path.Combine(Root, "tests", "manifests", "samples");

    public static IEnumerable<string> SampleFiles(string kind) =>
        Directory.EnumerateFiles(Path.Combine(Samples, kind), "*.yaml").OrderBy(f => f, StringComparer.Ordinal);
}
