using System.CommandLine;
using System.Runtime.InteropServices;
using k8s;
using KubeOS.Sandbox.Simulation;

namespace KubeOS.Sandbox;

/// <summary>The command line of the standalone sandbox process.</summary>
public static class SandboxCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = new Option<int>("--nodes") { Description = "Number of simulated nodes", DefaultValueFactory = _ => 3 };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the kubeconfig (default: a temporary directory)" };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 0 };
        var workloads = new Option<int>("--workloads") { Description = "Number of seeded workloads (ReplicaSet + PodDisruptionBudget)", DefaultValueFactory = _ => 0 };
        var ignoreStdin = new Option<bool>("--ignore-stdin") { Description = "Serve until SIGTERM/SIGINT only (for shells that start background jobs with stdin at /dev/null)" };
        var root = new RootCommand("KubeOS sandbox cluster: an embedded Kubernetes API server with simulated nodes")
        {
            nodes, kubeconfig, port, workloads, ignoreStdin,
        };
        root.SetAction(async (parse, ct) =>
        {
            var nodeCount = parse.GetValue(nodes);
            var workloadCount = parse.GetValue(workloads);
            if (nodeCount < 0) { Console.Error.WriteLine("--nodes must be 0 or more"); return 2; }
            if (workloadCount < 0) { Console.Error.WriteLine("--workloads must be 0 or more"); return 2; }

            // Signals are watched from the start, so a SIGTERM that arrives while the cluster starts is not lost.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.Cancel(); });
            await using var server = await SandboxServer.StartAsync(new SandboxOptions
            {
                KubeconfigPath = parse.GetValue(kubeconfig), Port = parse.GetValue(port),
            }, ct);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
            await using var simulator = await NodeSimulator.StartAsync(client,
                new NodeSimulatorOptions
                {
                    Nodes = nodeCount, Workloads = workloadCount,
                    OnError = e => Console.Error.WriteLine($"kubeos-sandbox: node simulator: {e.Message}"),
                }, cancellationToken: ct);
            Console.Out.WriteLine($"kubeconfig: {server.KubeconfigPath}");
            Console.Out.Flush();

            var stdinClosed = parse.GetValue(ignoreStdin) ? Task.Delay(Timeout.Infinite, stop.Token) : Task.Run(async () =>
            {
                var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (await stdin.ReadAsync(buffer) > 0) { }
            });
            await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }));
            return 0;
        });
        return await root.Parse(args).InvokeAsync();
    }
}
