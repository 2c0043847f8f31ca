using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeOS.Proxy.Steps;

namespace KubeOS.Proxy.Execution;

/// <summary>
/// Puts a <see cref="NodeNotice"/> on the Node: a condition in status.conditions (strategic merge by type, so the
/// kubelet's own conditions stay) and a Warning Event, so <c>kubectl describe node</c> says why the node stays
/// cordoned. Best effort: the OSInstance already records the failure, and a refused write must not stop the release.
/// </summary>
public sealed class NodeNotifier(IKubernetes client, TimeProvider clock, string component = "os-proxy")
{
    public async Task NotifyAsync(string node, NodeNotice notice, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stamp = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var condition = new JsonObject
        {
            ["type"] = notice.ConditionType, ["status"] = notice.Active ? "True" : "False", ["reason"] = notice.Reason, ["message"] = notice.Message,
            ["lastHeartbeatTime"] = stamp, ["lastTransitionTime"] = stamp,
        };
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition) } };
        try
        {
            await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), node, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException)
        {
        }
        // As the kubelet records node events: namespace default and the node's name as UID, which is what
        // kubectl describe node looks for.
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = node + ".", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = node },
            Type = notice.Active ? "Warning" : "Normal", Reason = notice.Reason, Message = notice.Message, Count = 1,
            FirstTimestamp = now, LastTimestamp = now,
            Source = new V1EventSource { Component = component, Host = node },
            ReportingComponent = component, ReportingInstance = node,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(ev, "default", cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException)
        {
        }
    }
}
