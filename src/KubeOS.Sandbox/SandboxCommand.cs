using System.CommandLine;
using System.Runtime.InteropServices;
using k8s;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;
using KubeOS.Sandbox.Simulation.Programs;

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
        var noAgents = new Option<bool>("--no-agents") { Description = "Run the nodes without simulated os-agents" };
        var agentSocketDir = new Option<string?>("--agent-socket-dir") { Description = "Directory for the simulated os-agent sockets, one <node>.sock per node (default: a temporary directory)" };
        var agentPrepare = new Option<double>("--agent-prepare-seconds") { Description = "How long a simulated prepare_upgrade takes", DefaultValueFactory = _ => 1 };
        var agentReboot = new Option<double>("--agent-reboot-seconds") { Description = "How long a simulated node stays NotReady while it reboots", DefaultValueFactory = _ => 3 };
        var agentFault = new Option<string[]>("--agent-fault")
        {
            Description = $"NODE=FAULT, repeatable: a failure the node's os-agent plays ({AgentFaults.Names})", AllowMultipleArgumentsPerToken = false,
        };
        var installKubeOS = new Option<bool>("--install-kubeos")
        {
            Description = "Install KubeOS at start (CRDs, namespace, RBAC, os-operator Deployment, os-proxy DaemonSet), so OS objects roll out",
        };
        var root = new RootCommand("KubeOS sandbox cluster: an embedded Kubernetes API server with simulated nodes")
        {
            nodes, kubeconfig, port, workloads, ignoreStdin, noAgents, agentSocketDir, agentPrepare, agentReboot, agentFault, installKubeOS,
        };
        root.SetAction(async (parse, ct) =>
        {
            var nodeCount = parse.GetValue(nodes);
            var workloadCount = parse.GetValue(workloads);
            if (nodeCount < 0) { Console.Error.WriteLine("--nodes must be 0 or more"); return 2; }
            if (workloadCount < 0) { Console.Error.WriteLine("--workloads must be 0 or more"); return 2; }
            if (parse.GetValue(installKubeOS) && parse.GetValue(noAgents))
            {
                Console.Error.WriteLine("--install-kubeos needs the simulated os-agents: leave out --no-agents");
                return 2;
            }
            SimulatedAgentOptions? agentOptions = null;
            if (!parse.GetValue(noAgents))
            {
                var prepare = parse.GetValue(agentPrepare);
                var reboot = parse.GetValue(agentReboot);
                if (prepare < 0) { Console.Error.WriteLine("--agent-prepare-seconds must be 0 or more"); return 2; }
                if (reboot < 0) { Console.Error.WriteLine("--agent-reboot-seconds must be 0 or more"); return 2; }
                agentOptions = new SimulatedAgentOptions
                {
                    SocketDirectory = parse.GetValue(agentSocketDir),
                    PrepareDuration = TimeSpan.FromSeconds(prepare), RebootDuration = TimeSpan.FromSeconds(reboot),
                    OnError = e => Console.Error.WriteLine($"kubeos-sandbox: simulated os-agent: {e.Message}"),
                };
                try
                {
                    foreach (var assignment in parse.GetValue(agentFault) ?? [])
                    {
                        var (node, fault) = AgentFaults.ParseAssignment(assignment);
                        agentOptions.Faults[node] = fault;
                    }
                }
                catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }
            }

            // Signals are watched from the start, so a SIGTERM that arrives while the cluster starts is not lost.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.Cancel(); });
            await using var server = await SandboxServer.StartAsync(new SandboxOptions
            {
                KubeconfigPath = parse.GetValue(kubeconfig), Port = parse.GetValue(port),
            }, ct);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
            using var agents = agentOptions is null ? null : new SimulatedAgentFactory(agentOptions);
            await using var simulator = await NodeSimulator.StartAsync(client,
                new NodeSimulatorOptions
                {
                    // One control-plane node when there are nodes at all; --nodes 0 is an empty cluster.
                    Nodes = nodeCount, ControlPlaneNodes = Math.Min(1, nodeCount), Workloads = workloadCount, Agents = agents,
                    // Pods of the os-operator and os-proxy images run those components in-process (Install-KubeOSOperator works as on a cluster).
                    Programs = agents is null ? null : new KubeOSComponents(server.KubeconfigPath, agents.SocketPath),
                    OnError = e => Console.Error.WriteLine($"kubeos-sandbox: node simulator: {e.Message}"),
                }, cancellationToken: ct);
            // Before the kubeconfig line: whoever reads it may create OS objects at once.
            if (parse.GetValue(installKubeOS)) await KubeOSInstaller.InstallAsync(client, TimeSpan.FromSeconds(30), ct);
            Console.Out.WriteLine($"kubeconfig: {server.KubeconfigPath}");
            if (agents is not null) Console.Out.WriteLine($"agent-sockets: {agents.SocketDirectory}");
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
