using k8s.Models;

namespace KubeOS.Sandbox.Simulation.Programs;

/// <summary>
/// Starts and stops the programs of known images with their pods: a program runs while its pod is Running on a Ready
/// node of this simulator, stops when the pod goes or its node reboots (NotReady), and starts again afterwards, as a
/// container does across a reboot. A program that fails is restarted after a back-off, like a crash-looping container.
/// </summary>
public sealed class ContainerProgramSupervisor(IContainerProgramCatalog catalog, IReadOnlySet<string> ownNodes, Action<Exception>? onError,
    TimeSpan? restartBackoff = null) : IAsyncDisposable
{
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly TimeSpan _backoff = restartBackoff ?? TimeSpan.FromSeconds(5);

    public int Count => _running.Count(r => !r.Value.Task.IsCompleted);

    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        var readyNodes = view.Nodes.Where(n => ownNodes.Contains(n.Metadata.Name) && ClusterView.IsReady(n)).Select(n => n.Metadata.Name).ToHashSet();
        var wanted = new Dictionary<string, (V1Pod Pod, V1Container Container, IContainerProgram Program)>(StringComparer.Ordinal);
        foreach (var pod in view.Pods.Where(p => p.Spec.NodeName is { } n && readyNodes.Contains(n) && ClusterView.IsActive(p) && p.Status?.Phase == "Running"))
            foreach (var container in pod.Spec.Containers)
                if (catalog.Find(container.Image ?? "") is { } program)
                    wanted[$"{pod.Metadata.Uid}/{container.Name}"] = (pod, container, program);

        foreach (var (key, running) in _running.ToList())
            if (!wanted.ContainsKey(key) || running.Task.IsCompleted)
            {
                _running.Remove(key);
                await running.StopAsync();
            }
        foreach (var (key, (pod, container, program)) in wanted)
            if (!_running.ContainsKey(key))
                _running[key] = Start(pod, container, program, ct);
    }

    private Running Start(V1Pod pod, V1Container container, IContainerProgram program, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var context = new ContainerContext(pod, container, ContainerEnvironment.ToConfiguration(ContainerEnvironment.Resolve(pod, container)));
        var task = Task.Run(async () =>
        {
            try
            {
                await program.RunAsync(context, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                onError?.Invoke(new InvalidOperationException(
                    $"container {container.Name} of pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed: {e.Message}", e));
            }
            // Completed programs are restarted on a later round; the pause keeps a failing one from spinning.
            try { await Task.Delay(_backoff, stop.Token); }
            catch (OperationCanceledException) { }
        }, CancellationToken.None);
        return new Running(stop, task);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running.Values) await running.StopAsync();
        _running.Clear();
    }

    private sealed record Running(CancellationTokenSource Stop, Task Task)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            // A program gets the grace period a terminating container gets before it is left behind.
            await Task.WhenAny(Task, Task.Delay(TimeSpan.FromSeconds(10)));
            Stop.Dispose();
        }
    }
}
