using Xunit;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// Plays the os-proxy's part in the operator's own tests, one explicit call per proxy action, so each test controls
/// exactly when a node finishes (the EndToEnd tests run the real proxies): it creates each node's OSInstance and, when
/// told, finishes a node's operation the way the proxy does after a successful upgrade (the node reports the new
/// osImage, the OSInstance goes back to idle, the label goes).
/// </summary>
public sealed class ProxyStandIn(IKubernetes client)
{
    /// <summary>The proxy creates its node's OSInstance (nodestatus idle, labelled with the node) when it starts.</summary>
    public async Task CreateInstancesAsync(IEnumerable<string> nodes)
    {
        foreach (var node in nodes)
        {
            var osi = new OSInstance
            {
                Metadata = new ObjectMeta
                {
                    Name = node, Namespace = WellKnown.OSInstanceNamespace,
                    Labels = new Dictionary<string, string> { [WellKnown.Labels.OSInstanceNode] = node },
                },
                Spec = new OSInstanceSpec { NodeStatus = WellKnown.NodeStatuses.Idle },
            };
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(osi)!, WellKnown.Group, WellKnown.Version,
                WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural);
        }
    }

    public async Task<OSInstance> InstanceAsync(string node)
    {
        var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, node);
        return ManifestSerializer.FromJson<OSInstance>(KubernetesJson.Serialize(raw));
    }

    /// <summary>
    /// A successful upgrade as the proxy and agent leave it: the rebooted node reports the target osImage, the proxy
    /// sets its OSInstance back to idle and removes the operation label.
    /// </summary>
    public async Task CompleteUpgradeAsync(string node, string version)
    {
        var status = new JsonObject { ["status"] = new JsonObject { ["nodeInfo"] = new JsonObject { ["osImage"] = version } } };
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), node);
        var idle = new JsonObject { ["spec"] = new JsonObject { ["nodestatus"] = WellKnown.NodeStatuses.Idle } };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(idle.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, node);
        var unlabel = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [WellKnown.Labels.Upgrading] = null } } };
        await client.CoreV1.PatchNodeAsync(new V1Patch(unlabel.ToJsonString(), V1Patch.PatchType.MergePatch), node);
    }
}
