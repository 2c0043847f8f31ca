using System.CommandLine;
using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Planning;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Cli;

/// <summary>
/// kbimg's command line: <c>kbimg [-d] create -f file.toml vm-img|upgrade-img|pxe-img|admin-container</c>, as KubeOS's
/// kbimg, plus output options.
/// </summary>
public static class KbimgCommand
{
    public const int ExitConfigError = 2;
    public const int ExitFailure = 1;

    public static RootCommand Create()
    {
        var debug = new Option<bool>("--debug", "-d")
        {
            Description = "Validate and print what would be built, without building (kbimg's render-only mode).",
            Recursive = true,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every tool command line.", Recursive = true };

        var file = new Option<FileInfo>("--file", "-f") { Description = "The kbimg TOML file.", Required = true };
        var type = new Argument<string>("IMAGE_TYPE") { Description = "vm-img, upgrade-img, pxe-img or admin-container (also: vm, upgrade, pxe, admin, admin-img)." };
        type.AcceptOnlyFromAmong(ImageTypeNames.All);
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Where artefacts are written.", DefaultValueFactory = _ => new DirectoryInfo("kbimg-out") };
        var cache = new Option<DirectoryInfo?>("--cache-dir") { Description = $"Rootfs and package cache (default {ImageBuildOptions.DefaultCacheDirectory})." };
        var work = new Option<DirectoryInfo?>("--work-dir") { Description = "Scratch space (default: the temp folder)." };
        var noQcow2 = new Option<bool>("--no-qcow2") { Description = "Write only the raw disk." };
        var noCache = new Option<bool>("--no-cache") { Description = "Rebuild the root filesystem even if it is cached." };
        var push = new Option<string?>("--push") { Description = "Upgrade and admin images: push to host[:port]/repository[:tag]." };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP instead of HTTPS for --push." };
        var keepWork = new Option<bool>("--keep-work") { Description = "Keep the scratch folder for inspection." };

        var create = new Command("create", "Build an image from a kbimg TOML file.")
        {
            file, type, output, cache, work, noQcow2, noCache, push, plainHttp, keepWork,
        };
        create.SetAction(async (parse, ct) =>
        {
            ImageTypeNames.TryParse(parse.GetValue(type)!, out var imageType);
            var options = new ImageBuildOptions
            {
                ConfigPath = parse.GetValue(file)!.FullName,
                Type = imageType,
                OutputDirectory = parse.GetValue(output)!.FullName,
                CacheDirectory = parse.GetValue(cache)?.FullName ?? ImageBuildOptions.DefaultCacheDirectory,
                WorkDirectory = parse.GetValue(work)?.FullName,
                Qcow2 = !parse.GetValue(noQcow2),
                NoCache = parse.GetValue(noCache),
                PushReference = parse.GetValue(push),
                PlainHttpRegistry = parse.GetValue(plainHttp),
                KeepWorkDirectory = parse.GetValue(keepWork),
            };
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var builder = new KubeOSImageBuilder(log: parse.GetValue(verbose) ? stderr.WriteLine : null);
            return await RunAsync(builder, options, parse.GetValue(debug), stdout, stderr, ct);
        });

        return new RootCommand("kbimg: builds KubeOS VM disks, upgrade images, PXE installers and the admin container image.") { debug, verbose, create };
    }

    private static async Task<int> RunAsync(KubeOSImageBuilder builder, ImageBuildOptions options, bool planOnly,
        TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            if (planOnly)
            {
                PrintPlan(await builder.PlanAsync(options, ct), output);
                return 0;
            }
            var progress = new SynchronousProgress<ImageBuildProgress>(p => output.WriteLine($"[{p.PercentComplete,3}%] {p.Stage}: {p.Message}"));
            var result = await builder.BuildAsync(options, progress, ct);
            foreach (var a in result.Artifacts)
                output.WriteLine($"{a.Kind,-14} {a.Path}  {a.SizeBytes} bytes  sha256 {a.Sha256}");
            if (result.VerityRootHash is not null) output.WriteLine($"dm-verity root hash {result.VerityRootHash}");
            if (result.ManifestDigest is not null) output.WriteLine($"image digest {result.ManifestDigest}{(result.PushedReference is null ? "" : " pushed to " + result.PushedReference)}");
            output.WriteLine($"rootfs {result.RootfsBytes / 1048576} MiB{(result.RootfsFromCache ? " (cached)" : "")}, {result.Duration.TotalSeconds:F1} s");
            return 0;
        }
        catch (ImageConfigException ex)
        {
            error.WriteLine("kbimg: " + ex.Message);
            return ExitConfigError;
        }
        catch (Exception ex) when (ex is ToolException or IOException or HttpRequestException or InvalidOperationException)
        {
            error.WriteLine("kbimg: " + ex.Message);
            return ExitFailure;
        }
    }

    private static void PrintPlan(ImageBuildPlan plan, TextWriter output)
    {
        output.WriteLine($"KubeOS {plan.Version} {plan.Type} image");
        output.WriteLine($"root filesystem {plan.RootfsCacheKey} ({(plan.RootfsCached ? "cached" : "to be built")}): {string.Join(' ', plan.Packages)}");
        output.WriteLine("stages: " + string.Join(" → ", plan.Stages));
        foreach (var p in plan.Partitions)
            output.WriteLine($"  partition {p.Number} {p.Name,-8} start {p.StartMiB,6} MiB size {p.SizeMiB,6} MiB");
        foreach (var a in plan.Artifacts)
            output.WriteLine($"  would write {a.Kind,-14} {a.Path}{(a.SizeBytes is { } s ? $" ({s} bytes)" : "")}");
        foreach (var w in plan.Warnings) output.WriteLine("warning: " + w);
    }
}

/// <summary>Reports on the caller's thread, so progress lines come out in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
