using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// What the simulated node reports through the API: a reboot (NotReady, then Ready on a new bootID and osImage) and
/// the settings the agent applied.
/// </summary>
public sealed class NodeReporter(IKubernetes client, string nodeName, TimeProvider clock, Action<Exception>? onError)
{
    /// <summary>Annotation mirroring the kernel.sysctl values the agent applied, as JSON, so callers can see them without a shell.</summary>
    public const string SysctlAnnotation = "sandbox.kubeos.io/sysctl";

    public Task GoNotReadyAsync(CancellationToken ct) =>
        PatchStatusAsync(ReadyCondition("False", "KubeletNotReady", "node is rebooting"), nodeInfo: null, ct);

    /// <summary>
    /// The bootID changes only here, together with osImage and Ready, as a kubelet reports them after the boot: a
    /// new bootID beside the old osImage would read as "rebooted onto the wrong version".
    /// </summary>
    public Task ComeBackAsync(string osImage, CancellationToken ct) =>
        PatchStatusAsync(ReadyCondition("True", "KubeletReady", "kubelet is posting ready status"),
            new JsonObject { ["osImage"] = osImage, ["bootID"] = Guid.NewGuid().ToString() }, ct);

    public Task WriteSysctlAsync(IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(values.ToDictionary(kv => kv.Key, kv => kv.Value), SandboxAgentJson.Default.DictionaryStringString);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SysctlAnnotation] = json } } };
        return WithRetryAsync(() => client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), nodeName, cancellationToken: ct), ct);
    }

    /// <summary>Sets the Ready and ContainersReady conditions of every running pod bound to the node.</summary>
    public async Task SetPodsReadyAsync(bool ready, CancellationToken ct)
    {
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={nodeName}", cancellationToken: ct);
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var pod in pods.Items.Where(p => p.Status?.Phase == "Running"))
        {
            var conditions = new JsonArray();
            foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" })
            {
                var status = type is "Ready" or "ContainersReady" && !ready ? "False" : "True";
                conditions.Add(new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = now });
            }
            var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
            try
            {
                await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                // A pod deleted meanwhile has nothing left to report.
                onError?.Invoke(e);
            }
        }
    }

    public async Task<V1Node> ReadAsync(CancellationToken ct) => await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: ct);

    private JsonObject ReadyCondition(string status, string reason, string message)
    {
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = "Ready", ["status"] = status, ["reason"] = reason, ["message"] = message,
            ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
        };
    }

    private Task PatchStatusAsync(JsonObject ready, JsonObject? nodeInfo, CancellationToken ct)
    {
        var status = new JsonObject { ["conditions"] = new JsonArray(ready) };
        if (nodeInfo is not null) status["nodeInfo"] = nodeInfo;
        var body = new JsonObject { ["status"] = status }.ToJsonString();
        return WithRetryAsync(() => client.CoreV1.PatchNodeStatusAsync(new V1Patch(body, V1Patch.PatchType.StrategicMergePatch), nodeName,
            cancellationToken: ct), ct);
    }

    /// <summary>A reboot must not be lost to one failed write, so writes are retried until they succeed or the agent stops.</summary>
    private async Task WithRetryAsync(Func<Task> write, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                onError?.Invoke(e);
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
    }
}
