using k8s;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// Simulated nodes as an ordinary API client: registers the nodes, then runs their kubelets and (optionally) a tiny
/// scheduler and the Deployment/ReplicaSet/DaemonSet controllers in one level-triggered loop. Works against the sandbox or any
/// cluster the client points at.
/// </summary>
public sealed class NodeSimulator : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly NodeSimulatorOptions _options;
    private readonly TimeProvider _clock;
    private readonly HashSet<string> _ownNodes = new();
    private readonly List<IAsyncDisposable> _agents = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>The last error the loop met (it keeps going; a conflict or a race is retried next round).</summary>
    public Exception? LastError { get; private set; }

    public IReadOnlyCollection<string> NodeNames => _ownNodes;

    private NodeSimulator(IKubernetes client, NodeSimulatorOptions options, TimeProvider clock)
    {
        _client = client;
        _options = options;
        _clock = clock;
    }

    public static async Task<NodeSimulator> StartAsync(IKubernetes client, NodeSimulatorOptions options, TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var simulator = new NodeSimulator(client, options, clock ?? TimeProvider.System);
        await simulator.RegisterNodesAsync(cancellationToken);
        await WorkloadSeeder.SeedAsync(client, options, cancellationToken);
        simulator._loop = Task.Run(() => simulator.RunAsync(simulator._stop.Token), CancellationToken.None);
        return simulator;
    }

    private async Task RegisterNodesAsync(CancellationToken ct)
    {
        var existing = (await _client.CoreV1.ListNodeAsync(cancellationToken: ct)).Items.Select(n => n.Metadata.Name).ToHashSet();
        var now = _clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < _options.Nodes; i++)
        {
            var node = SimulatedNodeFactory.Create(_options, i, now);
            if (!existing.Contains(node.Metadata.Name)) await _client.CoreV1.CreateNodeAsync(node, cancellationToken: ct);
            _ownNodes.Add(node.Metadata.Name);
            if (_options.Agents is { } agents) _agents.Add(await agents.StartAsync(node.Metadata.Name, _client, ct));
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var kubelet = new SimulatedKubelet(_client, _options, _ownNodes, _clock);
        var scheduler = new PodScheduler(_client);
        var replicaSets = new ReplicaSetController(_client, _options, _clock);
        var daemonSets = new DaemonSetController(_client);
        var deployments = new DeploymentController(_client);
        await using var programs = _options.Programs is { } catalog ? new Programs.ContainerProgramSupervisor(catalog, _ownNodes, _options.OnError) : null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var view = await ClusterView.ReadAsync(_client, _options.RunControllers, ct);
                if (_options.RunControllers)
                {
                    await deployments.ReconcileAsync(view, ct);
                    await replicaSets.ReconcileAsync(view, ct);
                    await daemonSets.ReconcileAsync(view, ct);
                    view = await ClusterView.ReadAsync(_client, false, ct) with { ReplicaSets = view.ReplicaSets, DaemonSets = view.DaemonSets, Deployments = view.Deployments };
                    await scheduler.ReconcileAsync(view, ct);
                    view = await ClusterView.ReadAsync(_client, false, ct);
                }
                await kubelet.ReconcileAsync(view, ct);
                // The round's view: a pod the kubelet just started is seen Running, and its program started, next round.
                if (programs is not null) await programs.ReconcileAsync(view, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LastError = e;
                _options.OnError?.Invoke(e);
            }
            try { await Task.Delay(_options.ReconcileInterval, _clock, ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        foreach (var agent in _agents) await agent.DisposeAsync();
        _stop.Dispose();
    }
}
