using k8s.Models;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>Pods and budgets as the API server would list them.</summary>
internal static class Pods
{
    public static V1Pod Owned(string name, string kind = "ReplicaSet", string phase = "Running", IDictionary<string, string>? labels = null) =>
        Pod(name, phase, labels, new V1OwnerReference { Kind = kind, Name = name + "-owner", ApiVersion = "apps/v1", Uid = "u-" + name, Controller = true });

    public static V1Pod Unowned(string name, string phase = "Running") => Pod(name, phase, null, null);

    public static V1Pod Mirror(string name)
    {
        var pod = Unowned(name);
        pod.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "abc" };
        return pod;
    }

    public static V1Pod WithEmptyDir(V1Pod pod)
    {
        pod.Spec.Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }];
        return pod;
    }

    public static V1PodDisruptionBudget Budget(string name, int allowed, IDictionary<string, string>? matchLabels, string ns = "apps") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodDisruptionBudgetSpec { Selector = matchLabels is null ? null : new V1LabelSelector { MatchLabels = matchLabels } },
        Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = allowed },
    };

    private static V1Pod Pod(string name, string phase, IDictionary<string, string>? labels, V1OwnerReference? owner) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "apps", Labels = labels,
            OwnerReferences = owner is null ? null : [owner],
        },
        Spec = new V1PodSpec { NodeName = NodeScenario.NodeName, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = phase },
    };
}
