using System.Diagnostics;
using System.Runtime.Versioning;
using KubeOS.ImageBuilder;

// Usage: KubeOS.ImageBuilder.Benchmarks [work-folder]
// Builds the same VM image three times: with an empty rootfs cache (packages already downloaded are reused, as on a
// CI machine with a warm apt cache), then twice from the cached rootfs, and an upgrade image from the cache.
[assembly: SupportedOSPlatform("linux")]

var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "kubeos-image-bench");
Directory.CreateDirectory(root);
var agent = Path.Combine(root, "os-agent");
File.WriteAllText(agent, "#!/bin/sh\nexec sleep infinity\n");
var config = Path.Combine(root, "kbimg.toml");
File.WriteAllText(config, """
    [from_repo]
    version = "1.0.0"
    agent_path = "os-agent"
    root_passwd = "$6$bench$x"
    upgrade_img = "kubeos/os:1.0.0"
    legacy_bios = true

    [disk_partition]
    root = 600
    img_size = 4
    """);
var cache = Path.Combine(root, "cache");
var rootfsCache = Path.Combine(cache, "rootfs");
if (Directory.Exists(rootfsCache)) Directory.Delete(rootfsCache, recursive: true);

var builder = new KubeOSImageBuilder();
async Task<(ImageBuildResult Result, TimeSpan Time)> Build(ImageType type, string name)
{
    var clock = Stopwatch.StartNew();
    var result = await builder.BuildAsync(new ImageBuildOptions
    {
        ConfigPath = config, Type = type, CacheDirectory = cache, OutputDirectory = Path.Combine(root, name),
    });
    return (result, clock.Elapsed);
}

var cold = await Build(ImageType.Vm, "cold");
var warm1 = await Build(ImageType.Vm, "warm1");
var warm2 = await Build(ImageType.Vm, "warm2");
var upgrade = await Build(ImageType.Upgrade, "upgrade");
var warm = TimeSpan.FromTicks(Math.Min(warm1.Time.Ticks, warm2.Time.Ticks));

static string MiB(long bytes) => $"{bytes / 1048576.0,8:F1} MiB";
Console.WriteLine($"vm build, empty rootfs cache : {cold.Time.TotalSeconds,7:F1} s (baseline)");
Console.WriteLine($"vm build, cached rootfs      : {warm.TotalSeconds,7:F1} s  ratio {warm / cold.Time:F2}");
Console.WriteLine($"upgrade build, cached rootfs : {upgrade.Time.TotalSeconds,7:F1} s  ratio {upgrade.Time / cold.Time:F2}");
Console.WriteLine($"rootfs (files, du)           : {MiB(cold.Result.RootfsBytes)}");
foreach (var a in cold.Result.Artifacts.Concat(upgrade.Result.Artifacts))
{
    var allocated = a.Kind == ImageArtifactKind.OciLayout ? a.SizeBytes : AllocatedBytes(a.Path);
    Console.WriteLine($"{a.Kind,-28} : {MiB(a.SizeBytes)} apparent, {MiB(allocated)} allocated");
}
foreach (var dir in new[] { "cold", "warm1", "warm2", "upgrade" }) Directory.Delete(Path.Combine(root, dir), recursive: true);

static long AllocatedBytes(string path)
{
    var psi = new ProcessStartInfo("du", ["-B1", path]) { RedirectStandardOutput = true };
    using var p = Process.Start(psi)!;
    var text = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    return long.Parse(text.Split('\t')[0]);
}
