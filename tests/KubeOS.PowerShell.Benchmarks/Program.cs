using System.Globalization;
using System.Reflection;
using System.Text.Json;
using k8s;
using KubeOS.PowerShell.Benchmarks;
using KubeOS.Sandbox;

// Figures for the PowerShell module: Import-Module time and Get-KubeOSNode time on a large cluster, each beside a
// baseline measured in the same run, so the ratio means something on any machine. Targets: import <= 0.5 s,
// Get-KubeOSNode for 5,000 nodes <= 1 s. Run: dotnet run -c Release --project tests/KubeOS.PowerShell.Benchmarks [-- --nodes N --runs N]
if (args.Length == 2 && args[0] == ImportTimer.ChildSwitch)
{
    return ImportTimer.Child(args[1]);
}

var nodes = Arg("--nodes", 5_000);
var runs = Arg("--runs", 9);
var metadata = typeof(Stats).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!);
var manifest = Path.Combine(metadata["RepoRoot"], "out", "KubeOS", metadata["KubeOSVersion"], "KubeOS.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The packaged module is missing at {manifest}: build src/KubeOS.PowerShell first.");
    return 2;
}
Console.WriteLine($"KubeOS module benchmark: {nodes} nodes, median of {runs} runs ({Environment.ProcessorCount} cores, .NET {Environment.Version})");

// 1. Import-Module: the packaged module against an empty script module, each in fresh processes.
var empty = Directory.CreateTempSubdirectory("kubeos-empty-module-");
try
{
    var emptyManifest = Path.Combine(empty.FullName, "Empty.psd1");
    File.WriteAllText(Path.Combine(empty.FullName, "Empty.psm1"), "");
    File.WriteAllText(emptyManifest, "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0.0'; FunctionsToExport = @() }");
    var emptyCold = ImportTimer.ColdMedianMs(emptyManifest, runs);
    var kubeosCold = ImportTimer.ColdMedianMs(manifest, runs);
    var kubeosWarm = ImportTimer.WarmMedianMs(manifest, runs);
    Console.WriteLine($"Import-Module empty script module, new process (baseline): {emptyCold,8:F1} ms");
    Console.WriteLine($"Import-Module KubeOS, new process:                          {kubeosCold,8:F1} ms  ({kubeosCold / emptyCold:F1}x baseline, target <= 500 ms: {Verdict(kubeosCold, 500)})");
    Console.WriteLine($"Import-Module KubeOS, new runspace in a warm process:         {kubeosWarm,8:F1} ms");
}
finally
{
    empty.Delete(recursive: true);
}

// 2. Get-KubeOSNode on a seeded sandbox against the two list calls it needs, made directly with KubernetesClient.
await using var server = await SandboxServer.StartAsync(new SandboxOptions { EventHistory = 1_000 });
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
var seed = System.Diagnostics.Stopwatch.StartNew();
await ClusterSeeder.SeedAsync(server, client, nodes);
Console.WriteLine($"seeded {nodes} nodes and {nodes} OSInstances in {seed.ElapsedMilliseconds} ms (in-process)");

var raw = Stats.MedianMs(runs, () =>
{
    var nodeList = client.CoreV1.ListNodeAsync();
    var instanceList = client.CustomObjects.ListNamespacedCustomObjectAsync("upgrade.openeuler.org", "v1alpha1", "default", "osinstances");
    Task.WaitAll(nodeList, instanceList);
    if (nodeList.Result.Items.Count != nodes || ((JsonElement)instanceList.Result).GetProperty("items").GetArrayLength() != nodes)
        throw new InvalidOperationException("the baseline did not list every node and OSInstance");
});
var source = new KubeOS.Client.Configuration.KubeconfigSource([server.KubeconfigPath], KubeOS.Client.Configuration.KubeconfigOrigin.Parameter);
using var library = KubeOS.Client.KubeOSCluster.Connect(KubeOS.Client.Configuration.KubeconfigLoader.Load(source, null));
var typed = Stats.MedianMs(runs, () =>
{
    var nodeList = library.ListNodesAsync();
    var instanceList = library.ListOSInstancesAsync();
    Task.WaitAll(nodeList, instanceList);
    if (nodeList.Result.Count != nodes || instanceList.Result?.Count != nodes) throw new InvalidOperationException("KubeOSCluster did not list every node and OSInstance");
});
using var session = new BenchmarkSession(manifest);
var cmdlet = Stats.MedianMs(runs, () =>
{
    var count = session.CountNodes(server.KubeconfigPath);
    if (count != nodes) throw new InvalidOperationException($"Get-KubeOSNode wrote {count} objects, expected {nodes}");
});
var one = Stats.MedianMs(runs, () =>
{
    if (session.CountNodes(server.KubeconfigPath, "node-0") != 1) throw new InvalidOperationException("Get-KubeOSNode -Name node-0 did not write one object");
});
Console.WriteLine($"LIST nodes + OSInstances, KubernetesClient typed (baseline): {raw,8:F1} ms");
Console.WriteLine($"  the same through KubeOSCluster (OSInstances bound to models): {typed,8:F1} ms  ({typed / raw:F1}x baseline)");
Console.WriteLine($"  Get-KubeOSNode -Name node-0 (same lists and join, one object out): {one,8:F1} ms  ({one / raw:F1}x baseline)");
Console.WriteLine($"Get-KubeOSNode ({nodes} nodes joined with OSInstances):      {cmdlet,8:F1} ms  ({cmdlet / raw:F1}x baseline, target <= 1000 ms: {Verdict(cmdlet, 1000)})");
return 0;

static string Verdict(double ms, double target) => ms <= target ? "met" : "MISSED";

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
