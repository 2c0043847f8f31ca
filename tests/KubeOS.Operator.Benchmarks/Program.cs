using System.CommandLine;
using KubeOS.Operator.Benchmarks;

// Fleet simulation: one OS upgrade over N simulated nodes with maxunavailable M, each node taking T.
// dotnet run -c Release --project tests/KubeOS.Operator.Benchmarks -- [--nodes 1000] [--max-unavailable 50] [--upgrade-seconds 3] [--poll] [--min-pass-ms 1000]
var nodes = new Option<int>("--nodes") { Description = "Simulated worker nodes", DefaultValueFactory = _ => 1000 };
var maxUnavailable = new Option<int>("--max-unavailable") { Description = "spec.maxunavailable", DefaultValueFactory = _ => 50 };
var upgradeSeconds = new Option<double>("--upgrade-seconds") { Description = "T: a node's simulated prepare plus reboot time", DefaultValueFactory = _ => 3 };
var poll = new Option<bool>("--poll") { Description = "Proxies poll every second instead of being woken by watches of their node and OSInstance" };
var minPass = new Option<double>("--min-pass-ms") { Description = "os-operator's MinPassInterval in milliseconds", DefaultValueFactory = _ => 1000 };
var root = new RootCommand("KubeOS fleet rollout benchmark: overhead ratio, unavailability, API requests per node, operator RSS")
{
    nodes, maxUnavailable, upgradeSeconds, poll, minPass,
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
    return await FleetRun.RunAsync(settings);
});
return await root.Parse(args).InvokeAsync();
