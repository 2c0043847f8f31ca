using System.Management.Automation;
using KubeOS.PowerShell.Cluster;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Remove-KubeOSAdminContainer: deletes admin pods and Secrets the module left behind (-Keep, or a session that was
/// killed), selected by the module's labels and, with -Node, by the node they were made for.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KubeOSAdminContainer", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveKubeOSAdminContainerCommand : ClusterCmdlet
{
    private readonly List<string> _patterns = [];

    /// <summary>Only leftovers made for these nodes (wildcards allowed); all of them when left out.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = AdminPodManifests.DefaultNamespace;

    protected override void ProcessRecord() => _patterns.AddRange(Node ?? ["*"]);

    protected override void EndProcessing()
    {
        var patterns = (_patterns.Count == 0 ? ["*"] : _patterns).Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToList();
        bool Selected(k8s.Models.V1ObjectMeta metadata) =>
            AdminPodManifests.NodeOf(metadata) is { } node && patterns.Any(p => p.IsMatch(node));

        var pods = new AdminPodClient(Cluster);
        var (podList, secretList) = CallCluster(async (_, ct) =>
            (await pods.ListPodsAsync(Namespace, ct).ConfigureAwait(false), await pods.ListSecretsAsync(Namespace, ct).ConfigureAwait(false)));
        foreach (var pod in podList.Where(p => Selected(p.Metadata)))
        {
            var target = $"pod {Namespace}/{pod.Metadata.Name} (node {AdminPodManifests.NodeOf(pod.Metadata)})";
            if (ShouldProcess(target, "Remove admin container"))
            {
                CallCluster(async (_, ct) => { await pods.DeletePodAsync(Namespace, pod.Metadata.Name, ct).ConfigureAwait(false); return true; }, target);
                WriteVerbose($"Removed the {target}.");
            }
        }
        foreach (var secret in secretList.Where(s => Selected(s.Metadata)))
        {
            var target = $"Secret {Namespace}/{secret.Metadata.Name} (node {AdminPodManifests.NodeOf(secret.Metadata)})";
            if (ShouldProcess(target, "Remove admin container Secret"))
            {
                CallCluster(async (_, ct) => { await pods.DeleteSecretAsync(Namespace, secret.Metadata.Name, ct).ConfigureAwait(false); return true; }, target);
                WriteVerbose($"Removed the {target}.");
            }
        }
    }
}
