using System.Diagnostics;
using k8s;
using KubeOS.Sandbox;
using KubeOS.Sandbox.Benchmarks;

// Figures for the sandbox API server. Each figure is printed beside a baseline measured in the same run, so the
// ratio means something on any machine. Run: dotnet run -c Release --project tests/KubeOS.Sandbox.Benchmarks
var nodes = Arg("--nodes", 5_000);
var pods = Arg("--pods", 20_000);
var watchers = Arg("--watchers", 1_000);

long Rss() { using var p = Process.GetCurrentProcess(); p.Refresh(); return p.WorkingSet64; }
static double Mb(long bytes) => bytes / 1024.0 / 1024.0;

await using var server = await SandboxServer.StartAsync(new SandboxOptions { EventHistory = 10_000 });
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
using var http = Http.Create(server);
await client.CoreV1.ListNodeAsync();
Settle();
var rssEmpty = Rss();

Console.WriteLine($"sandbox benchmark: {nodes} nodes, {pods} pods, {watchers} watchers ({Environment.ProcessorCount} cores)");
var seed = Stopwatch.StartNew();
Seeder.Nodes(server.Resources, nodes);
Console.WriteLine($"seeded {nodes} nodes in {seed.ElapsedMilliseconds} ms (in-process)");

// 1. List latency: the 5,000-node list against a one-object GET of the same kind (request overhead baseline).
var single = Measure(10, () => client.CoreV1.ReadNodeAsync("node-0"));
var typed = Measure(5, () => client.CoreV1.ListNodeAsync());
var raw = Measure(5, () => http.GetByteArrayAsync("/api/v1/nodes"));
var bytes = (await http.GetByteArrayAsync("/api/v1/nodes")).Length;
Console.WriteLine($"GET one node (baseline):                 {single:F1} ms");
Console.WriteLine($"LIST {nodes} nodes, raw bytes ({Mb(bytes):F1} MiB): {raw:F1} ms  ({raw / single:F0}x baseline)");
Console.WriteLine($"LIST {nodes} nodes, KubernetesClient typed:  {typed:F1} ms  ({typed / single:F0}x baseline)");

// 2. Watch fan-out: one node update delivered to N concurrent watches, against the same with one watch.
var one = await WatchFanOut.MeasureAsync(server, http, 1, updates: 5);
var many = await WatchFanOut.MeasureAsync(server, http, watchers, updates: 5);
Console.WriteLine($"watch fan-out, 1 watcher (baseline):     p50 {one.P50:F1} ms  p99 {one.P99:F1} ms");
Console.WriteLine($"watch fan-out, {watchers} watchers:          p50 {many.P50:F1} ms  p99 {many.P99:F1} ms  (p99 {many.P99 / Math.Max(one.P99, 0.001):F0}x baseline)");

// 3. Memory: resident set with the whole fleet against the empty server measured at start.
seed.Restart();
Seeder.Pods(server.Resources, pods, nodes);
Console.WriteLine($"seeded {pods} pods in {seed.ElapsedMilliseconds} ms (in-process)");
Settle();
var rssFull = Rss();
Console.WriteLine($"RSS empty server (baseline):             {Mb(rssEmpty):F0} MiB");
Console.WriteLine($"RSS with {nodes} nodes + {pods} pods:    {Mb(rssFull):F0} MiB  (+{Mb(rssFull - rssEmpty):F0} MiB, {(rssFull - rssEmpty) / (double)(nodes + pods) / 1024:F1} KiB per object)");
Console.WriteLine($"managed heap after full GC:              {Mb(GC.GetTotalMemory(true)):F0} MiB");
return 0;

static void Settle()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
}

static double Measure(int runs, Func<Task> action)
{
    action().GetAwaiter().GetResult();
    var samples = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        action().GetAwaiter().GetResult();
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    return samples[samples.Count / 2];
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
