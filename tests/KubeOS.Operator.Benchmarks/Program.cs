using System.CommandLine;
using KubeOS.Operator.Benchmarks;

// Fleet simulation: one OS upgrade over N simulated nodes with maxunavailable M, each node taking T.
// dotnet run -c Release --project tests/KubeOS.Operator.Benchmarks -- [--nodes 1000] [--max-unavailable 50] [--upgrade-seconds 3] [--poll] [--min-pass-ms 1000]
//     [--prestage [--prestage-concurrency 100]]: the same rollout twice, without and with spec.prestage, disruption per node side by side
var nodes = new Option<int>("--nodes") { Description = "Simulated worker nodes", DefaultValueFactory = _ => 1000 };
var maxUnavailable = new Option<int>("--max-unavailable") { Description = "spec.maxunavailable", DefaultValueFactory = _ => 50 };
var upgradeSeconds = new Option<double>("--upgrade-seconds") { Description = "T: a node's simulated prepare plus reboot time", DefaultValueFactory = _ => 3 };
var poll = new Option<bool>("--poll") { Description = "Proxies poll every second instead of being woken by watches of their node and OSInstance" };
var minPass = new Option<double>("--min-pass-ms") { Description = "os-operator's MinPassInterval in milliseconds", DefaultValueFactory = _ => 1000 };
var prestage = new Option<bool>("--prestage") { Description = "Run the rollout twice, without and with spec.prestage, and compare each node's disruption" };
var prestageConcurrency = new Option<int>("--prestage-concurrency") { Description = "spec.prestage.maxconcurrent (default: 2 x --max-unavailable)" };
var root = new RootCommand("KubeOS fleet rollout benchmark: overhead ratio, unavailability, API requests per node, operator RSS")
{
    nodes, maxUnavailable, upgradeSeconds, poll, minPass, prestage, prestageConcurrency,
};
root.SetAction(async (parse, _) =>
{
    var settings = new FleetSettings(parse.GetValue(nodes), parse.GetValue(maxUnavailable), TimeSpan.FromSeconds(parse.GetValue(upgradeSeconds)),
        parse.GetValue(poll), TimeSpan.FromMilliseconds(parse.GetValue(minPass)));
    if (settings.Nodes < 1 || settings.MaxUnavailable < 1 || settings.UpgradeTime <= TimeSpan.Zero)
    {
        Console.Error.WriteLine("--nodes and --max-unavailable must be at least 1, --upgrade-seconds positive");
        return 2;
    }
    if (!parse.GetValue(prestage)) return await FleetRun.RunAsync(settings);

    var concurrency = parse.GetValue(prestageConcurrency) is > 0 and var c ? c : 2 * settings.MaxUnavailable;
    var runs = new List<DisruptionFigures>();
    Console.WriteLine("== run 1 of 2: plain (no spec.prestage) ==");
    var plain = await FleetRun.RunAsync(settings, runs.Add);
    Console.WriteLine();
    Console.WriteLine($"== run 2 of 2: spec.prestage, maxconcurrent {concurrency} ==");
    var staged = await FleetRun.RunAsync(settings with { PrestageConcurrency = concurrency }, runs.Add);
    Console.WriteLine();
    Console.WriteLine($"{"run",-26} {"rollout",9} {"disrupt p50",12} {"disrupt p95",12} {"w/ download",12} {"slot p50",9} {"slot p95",9} {"w/ download",12}");
    foreach (var r in runs)
        Console.WriteLine($"{r.Label,-26} {r.Wall.TotalSeconds,8:0.00}s {r.DisruptionMedian.TotalSeconds,11:0.00}s {r.DisruptionP95.TotalSeconds,11:0.00}s " +
                          $"{r.DisruptionsWithDownload,5} of {r.Windows,-4} {r.SlotMedian.TotalSeconds,8:0.00}s {r.SlotP95.TotalSeconds,8:0.00}s {r.SlotsWithDownload,5} of {r.Windows,-4}");
    if (runs.Count == 2)
        Console.WriteLine($"pre-staged / plain: rollout {runs[1].Wall / runs[0].Wall:0.000}, disruption p50 {runs[1].DisruptionMedian / runs[0].DisruptionMedian:0.000}, " +
                          $"slot p50 {runs[1].SlotMedian / runs[0].SlotMedian:0.000}");
    return plain != 0 ? plain : staged;
});
return await root.Parse(args).InvokeAsync();
