using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using KubeOS.Agent.Benchmarks;
using KubeOS.Api.Agent;

// Usage: KubeOS.Agent.Benchmarks [path to os-agent, default: publish it NativeAOT] [size in MiB, default 1024] [rounds, default 3]
// Run as root (loop devices). Every baseline runs in the same round as the agent, on the same device and payload.
var agentPath = args.Length > 0 && args[0].Length > 0 ? Path.GetFullPath(args[0]) : PublishAgent();
if (!File.Exists(agentPath))
{
    Console.Error.WriteLine($"os-agent binary not found: {agentPath}");
    return 2;
}
var mib = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

using var disk = new BenchDisk(rootMiB: mib + 64);
var (payload, sha256) = Payload.Create(Path.Combine(disk.Dir, "payload.img"), mib);
// The payload's own writeback would otherwise compete with the first measured rounds.
Tools.Run("sync");
using var server = new FileServer(payload);

var sumFile = Path.Combine(disk.Dir, "pipe.sha256");
var toDevice = $"dd of={disk.Standby} bs=4M iflag=fullblock oflag=direct conv=fsync status=none";
// Durable like the agent (its write ends with fsync; it writes with O_DIRECT): the faster of the two is the baseline.
var ddBaselines = new List<Baseline>
{
    new("dd bs=4M conv=fsync (local file -> partition)", $"dd if={payload} of={disk.Standby} bs=4M conv=fsync status=none"),
    new("dd bs=4M oflag=direct conv=fsync (local file -> partition)", $"dd if={payload} of={disk.Standby} bs=4M oflag=direct conv=fsync status=none"),
};
// The same job done by standard tools from the same HTTP server: what isolates the agent's own receive/hash/write path.
var httpBaselines = new List<Baseline>
{
    new("curl -o /dev/null (download alone)", $"curl -sf -o /dev/null '{server.Url}'"),
    new("curl | dd oflag=direct conv=fsync (download + write, no hash)", $"curl -sf '{server.Url}' | {toDevice}"),
    new("curl | tee >(openssl dgst -sha256) | dd oflag=direct conv=fsync (same work)", $"curl -sf '{server.Url}' | tee >(openssl dgst -sha256 > '{sumFile}') | {toDevice}"),
};
var hashAlone = new Baseline("openssl dgst -sha256 of the cached file (hash alone)", $"openssl dgst -sha256 {payload} > /dev/null");
var agentRates = new List<double>();
var cpuPerGiB = new List<double>();
var sysPerGiB = new List<double>();
long idleRss = 0, peakRss = 0, afterRss = 0;

// Warm-up: the first write into the backing file's fresh extents is slower for whoever comes first.
Tools.Run("dd", $"if={payload}", $"of={disk.Standby}", "bs=4M", "conv=fsync", "status=none");
for (var round = 0; round < rounds; round++)
{
    foreach (var baseline in ddBaselines.Concat(httpBaselines).Append(hashAlone))
        baseline.Rates.Add(Timed(baseline.Command));

    using var agent = new AgentUnderTest(agentPath, disk);
    Thread.Sleep(1000);
    idleRss = Math.Max(idleRss, agent.RssBytes());
    var sampler = agent.SamplePeakRss();
    var cpuBefore = agent.CpuSeconds();
    var sysBefore = agent.SystemCpuSeconds();
    var watch = Stopwatch.StartNew();
    var response = await agent.Client.PrepareUpgradeAsync(new UpgradeRequest
    {
        Version = "bench", ImageType = ImageTypes.Disk, ImageUrl = server.Url, CheckSum = sha256, FlagSafe = true,
    });
    var seconds = watch.Elapsed.TotalSeconds;
    cpuPerGiB.Add((agent.CpuSeconds() - cpuBefore) * 1024 / mib);
    sysPerGiB.Add((agent.SystemCpuSeconds() - sysBefore) * 1024 / mib);
    peakRss = Math.Max(peakRss, await sampler.StopAsync());
    if (response.Status != AgentStatus.UpgradeReady)
        throw new InvalidOperationException("prepare_upgrade answered " + response.Status);
    agentRates.Add(mib / seconds);
    Thread.Sleep(2000);
    afterRss = Math.Max(afterRss, agent.RssBytes());
}

var agentMedian = Median(agentRates);
Console.WriteLine($"payload: {mib} MiB raw image, served over http://127.0.0.1 (sendfile), written to a loop-device partition; {rounds} round(s), {Environment.ProcessorCount} cores");
foreach (var baseline in ddBaselines.Concat(httpBaselines).Append(hashAlone))
    Console.WriteLine($"{baseline.Name}: median {Median(baseline.Rates):F0} MiB/s  [{Figures(baseline.Rates)}]");
Console.WriteLine($"os-agent prepare_upgrade (download + sha256 + O_DIRECT write + fsync): median {agentMedian:F0} MiB/s  [{Figures(agentRates)}]");
var bestDd = ddBaselines.MaxBy(b => Median(b.Rates))!;
Console.WriteLine($"RATIO write throughput, os-agent / best durable dd of the same file to the same device ({bestDd.Name}): {agentMedian / Median(bestDd.Rates):F2}  (target >= 0.9)");
foreach (var baseline in ddBaselines.Where(b => b != bestDd))
    Console.WriteLine($"ratio os-agent / {baseline.Name}: {agentMedian / Median(baseline.Rates):F2}");
foreach (var baseline in httpBaselines)
    Console.WriteLine($"ratio os-agent / {baseline.Name}: {agentMedian / Median(baseline.Rates):F2}");
// SHA-256 is sequential: every byte goes through one core, so the hash alone bounds any single-pass verified write.
Console.WriteLine($"ratio os-agent / {hashAlone.Name}: {agentMedian / Median(hashAlone.Rates):F2}  (the ceiling for a verified single pass)");
Console.WriteLine($"os-agent CPU per GiB staged (user+sys): median {Median(cpuPerGiB):F2} s  [{Figures(cpuPerGiB, "F2")}]");
Console.WriteLine($"  of which kernel (sys): median {Median(sysPerGiB):F2} s  [{Figures(sysPerGiB, "F2")}]");
Console.WriteLine($"os-agent RSS idle: {idleRss / 1048576.0:F1} MiB (target <= 15), peak during prepare_upgrade: {peakRss / 1048576.0:F1} MiB (target <= 40), idle again 2 s after it: {afterRss / 1048576.0:F1} MiB");
Console.WriteLine($"os-agent binary: {new FileInfo(agentPath).Length / 1048576.0:F1} MiB ({agentPath})");
return 0;

double Timed(string command)
{
    var watch = Stopwatch.StartNew();
    Tools.Run("bash", "-c", "set -o pipefail; " + command);
    return mib / watch.Elapsed.TotalSeconds;
}

static string Figures(List<double> values, string format = "F0") =>
    string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string PublishAgent()
{
    var repo = typeof(BenchDisk).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
    var output = Path.Combine(Path.GetTempPath(), "kubeos-agent-bench-publish");
    Console.Error.WriteLine($"publishing os-agent (NativeAOT) to {output} ...");
    Tools.Run("dotnet", "publish", Path.Combine(repo, "src", "KubeOS.Agent"), "-c", "Release", "-o", output, "--nologo", "-v", "q");
    return Path.Combine(output, "os-agent");
}

internal sealed record Baseline(string Name, string Command)
{
    public List<double> Rates { get; } = [];
}
