using System.Management.Automation;
using System.Text;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Client;
using KubeOS.PowerShell.Cluster;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// The cluster side of an admin session: reading the node, creating the pod and its Secret, waiting for the pod to be
/// Ready, deleting both. Safe to use from several sessions at once (one per node in Invoke-KubeOSAdminCommand).
/// </summary>
public sealed class AdminPodClient(KubeOSCluster cluster)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private IKubernetes Api => cluster.Client;

    public async Task<AdminNode> GetNodeAsync(string name, CancellationToken ct)
    {
        V1Node node;
        try
        {
            node = await Call($"read the node {name}", () => Api.CoreV1.ReadNodeAsync(name, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (ClusterApiException ex) when (ex.IsNotFound)
        {
            throw new AdminContainerException($"The cluster {cluster.Server} has no node named '{name}'.", ClusterErrorIds.NodeNotFound,
                ErrorCategory.ObjectNotFound, ex) { RecommendedAction = "Run Get-KubeOSNode to list the nodes (press Tab after -Node to complete a name)." };
        }
        var instance = await cluster.OSInstances.GetAsync(WellKnown.OSInstanceNamespace, name, ct).ConfigureAwait(false);
        var addresses = node.Status?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.Type == "InternalIP")?.Address
                      ?? addresses.FirstOrDefault(a => a.Type == "ExternalIP")?.Address;
        return new AdminNode(name, address, node.Status?.NodeInfo?.OsImage, instance is not null);
    }

    /// <summary>Creates the pod, then its Secret owned by it (the pod waits for the Secret volume).</summary>
    public async Task<V1Pod> CreateAsync(V1Pod pod, Func<V1Pod, V1Secret> secretFor, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var created = await Call($"create the pod {ns}/{pod.Metadata.Name}",
            () => Api.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: ct)).ConfigureAwait(false);
        var secret = secretFor(created);
        try
        {
            await Call($"create the Secret {ns}/{secret.Metadata.Name}",
                () => Api.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch
        {
            await DeleteAsync(ns, pod.Metadata.Name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return created;
    }

    /// <summary>Polls the pod until its Ready condition is True; on timeout the error quotes what the pod last reported.</summary>
    public async Task<V1Pod> WaitReadyAsync(string ns, string name, string node, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        V1Pod? pod = null;
        while (true)
        {
            pod = await Call($"read the pod {ns}/{name}", () => Api.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct)).ConfigureAwait(false);
            if (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return pod;
            }
            if (pod.Status?.Phase is "Failed" or "Succeeded" || DateTime.UtcNow >= deadline)
            {
                var stopped = pod.Status?.Phase is "Failed" or "Succeeded";
                var why = stopped ? $"stopped (phase {pod.Status!.Phase})" : $"was not Ready within {timeout.TotalSeconds:0} s";
                throw new AdminContainerException($"The admin pod {ns}/{name} on node '{node}' {why}. {Describe(pod)}",
                    AdminContainerErrorIds.AdminPodNotReady, stopped ? ErrorCategory.ResourceUnavailable : ErrorCategory.OperationTimeout)
                {
                    RecommendedAction = "Check that the node can pull the image (-Image) and that the namespace allows privileged pods "
                                        + "(kubectl describe pod); raise -Timeout if the image is large.",
                };
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the pod and its Secret; either being gone already is fine.</summary>
    public async Task DeleteAsync(string ns, string name, CancellationToken ct)
    {
        await IgnoreNotFound(Call($"delete the pod {ns}/{name}",
            () => Api.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: ct))).ConfigureAwait(false);
        await IgnoreNotFound(Call($"delete the Secret {ns}/{name}",
            () => Api.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken ct) =>
        (await Call($"list the admin pods in {ns}",
            () => Api.CoreV1.ListNamespacedPodAsync(ns, labelSelector: AdminPodManifests.Selector, cancellationToken: ct)).ConfigureAwait(false)).Items?.ToList() ?? [];

    public async Task<IReadOnlyList<V1Secret>> ListSecretsAsync(string ns, CancellationToken ct) =>
        (await Call($"list the admin Secrets in {ns}",
            () => Api.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: AdminPodManifests.Selector, cancellationToken: ct)).ConfigureAwait(false)).Items?.ToList() ?? [];

    public Task DeletePodAsync(string ns, string name, CancellationToken ct) =>
        IgnoreNotFound(Call($"delete the pod {ns}/{name}", () => Api.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: ct)));

    public Task DeleteSecretAsync(string ns, string name, CancellationToken ct) =>
        IgnoreNotFound(Call($"delete the Secret {ns}/{name}", () => Api.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct)));

    /// <summary>The pod's phase, its last condition and why its container waits, for error messages.</summary>
    public static string Describe(V1Pod pod)
    {
        var text = new StringBuilder($"Phase: {pod.Status?.Phase ?? "Pending"}");
        var last = pod.Status?.Conditions?.OrderBy(c => c.LastTransitionTime ?? DateTime.MinValue).LastOrDefault(c => c.Status != "True")
                   ?? pod.Status?.Conditions?.LastOrDefault();
        text.Append(last is null
            ? "; no condition reported (is a kubelet running on the node?)"
            : $"; last condition: {last.Type}={last.Status}{(string.IsNullOrEmpty(last.Reason) ? "" : $" ({last.Reason})")}{(string.IsNullOrEmpty(last.Message) ? "" : $": {last.Message}")}");
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            if (status.State?.Waiting is { } waiting)
                text.Append($"; container {status.Name} waiting: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : $" ({waiting.Message})")}");
            if (status.State?.Terminated is { } terminated)
                text.Append($"; container {status.Name} terminated: {terminated.Reason} (exit code {terminated.ExitCode})");
        }
        return text.Append('.').ToString();
    }

    private static async Task IgnoreNotFound(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (ClusterApiException ex) when (ex.IsNotFound)
        {
        }
    }

    private async Task<T> Call<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, operation, cluster.Server) is ClusterApiException wrapped)
        {
            throw wrapped;
        }
    }
}
