using System.Diagnostics;
using System.Globalization;
using KubeOS.Agent.Benchmarks;
using KubeOS.Api.Agent;

// Usage: KubeOS.Agent.Benchmarks <path to os-agent> [size in MiB, default 1024] [rounds, default 2]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: KubeOS.Agent.Benchmarks <os-agent binary (e.g. the NativeAOT publish)> [MiB] [rounds]");
    return 2;
}
var agentPath = Path.GetFullPath(args[0]);
var mib = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;

using var disk = new BenchDisk(rootMiB: mib + 64);
var (payload, sha256) = Payload.Create(Path.Combine(disk.Dir, "payload.img"), mib);
// The payload's own writeback would otherwise compete with the first measured rounds.
Tools.Run("sync");
using var server = new FileServer(payload);

var ddRates = new List<double>();
var curlRates = new List<double>();
var ddShaRates = new List<double>();
var ddOpensslRates = new List<double>();
var pipeRates = new List<double>();
var agentRates = new List<double>();
long idleRss = 0, peakRss = 0;
var cpuPerGiB = new List<double>();
var sysPerGiB = new List<double>();
var sumFile = Path.Combine(disk.Dir, "pipe.sha256");
double Timed(string command)
{
    var watch = Stopwatch.StartNew();
    Tools.Run("bash", "-c", "set -o pipefail; " + command);
    return mib / watch.Elapsed.TotalSeconds;
}
// Warm-up: the first write into the backing file's fresh extents is slower for whoever comes first.
Tools.Run("dd", $"if={payload}", $"of={disk.Standby}", "bs=4M", "conv=fsync", "status=none");
for (var round = 0; round < rounds; round++)
{
    var toDevice = $"dd of={disk.Standby} bs=4M iflag=fullblock conv=fsync status=none";
    ddRates.Add(Timed($"dd if={payload} of={disk.Standby} bs=4M conv=fsync status=none"));
    // The download alone: the ceiling for anything that fetches over HTTP.
    curlRates.Add(Timed($"curl -sf -o /dev/null '{server.Url}'"));
    // Like for like without the network: the same file, hashed in the same pipeline as it is written.
    ddShaRates.Add(Timed($"dd if={payload} bs=4M status=none | tee >(sha256sum > '{sumFile}') | {toDevice}"));
    // sha256sum does not use the CPU's SHA extensions; OpenSSL (which the agent's hashing uses) does.
    ddOpensslRates.Add(Timed($"dd if={payload} bs=4M status=none | tee >(openssl dgst -sha256 > '{sumFile}') | {toDevice}"));
    // What a shell agent would do in one pass: download, hash and write.
    pipeRates.Add(Timed($"curl -sf '{server.Url}' | tee >(sha256sum > '{sumFile}') | {toDevice}"));

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
}

static string Figures(List<double> rates) => string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)));
var agentMedian = Median(agentRates);
Console.WriteLine($"payload: {mib} MiB raw image, served over http://127.0.0.1, written to a loop-device partition; {rounds} round(s)");
var baselines = new List<(string Name, List<double> Rates)>
{
    ("dd bs=4M conv=fsync (local file -> partition)", ddRates),
    ("curl -o /dev/null (download alone)", curlRates),
    ("dd | tee >(sha256sum) | dd bs=4M conv=fsync", ddShaRates),
    ("dd | tee >(openssl dgst -sha256) | dd bs=4M conv=fsync", ddOpensslRates),
    ("curl | tee >(sha256sum) | dd bs=4M conv=fsync", pipeRates),
};
foreach (var (name, rates) in baselines)
    Console.WriteLine($"{name}: median {Median(rates):F0} MiB/s  [{Figures(rates)}]");
Console.WriteLine($"os-agent prepare_upgrade (download + sha256 + write + fsync): median {agentMedian:F0} MiB/s  [{Figures(agentRates)}]");
foreach (var (name, rates) in baselines)
    Console.WriteLine($"ratio os-agent / {name}: {agentMedian / Median(rates):F2}");
Console.WriteLine($"os-agent CPU per GiB staged (user+sys): median {Median(cpuPerGiB):F2} s  [{string.Join(", ", cpuPerGiB.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"  of which kernel (sys): median {Median(sysPerGiB):F2} s  [{string.Join(", ", sysPerGiB.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"os-agent RSS idle: {idleRss / 1048576.0:F1} MiB, peak during prepare_upgrade: {peakRss / 1048576.0:F1} MiB");
Console.WriteLine($"os-agent binary: {new FileInfo(agentPath).Length / 1048576.0:F1} MiB ({agentPath})");
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
