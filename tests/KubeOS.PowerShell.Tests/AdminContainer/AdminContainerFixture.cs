using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using KubeOS.PowerShell.Tests.Cluster;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// A sandbox with extra nodes that this test's kubelet runs (the simulated ones stay as they are), a host PID namespace
/// for their containers, and the kubelet itself. Every node has its own loopback address, so their sshd can share a port.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
// IDisposable again: the base's Dispose is not virtual, and this one must also stop the kubelet and the host.
public sealed class AdminContainerFixture : SandboxSessionFixture, IDisposable
{
    public const string Namespace = "kube-system";

    public static readonly IReadOnlyDictionary<string, (string Address, KubeletBehaviour Behaviour)> Nodes =
        new Dictionary<string, (string, KubeletBehaviour)>
        {
            ["kubeos-a"] = ("127.0.0.2", KubeletBehaviour.Run),
            ["kubeos-b"] = ("127.0.0.3", KubeletBehaviour.Run),
            ["kubeos-impostor"] = ("127.0.0.4", KubeletBehaviour.RunWithForeignHostKey),
            ["kubeos-badkey"] = ("127.0.0.5", KubeletBehaviour.RunWithForeignAuthorizedKey),
            ["kubeos-pullfail"] = ("127.0.0.6", KubeletBehaviour.FailImagePull),
            ["debian-1"] = ("127.0.0.7", KubeletBehaviour.Run),
        };

    public AdminContainerFixture()
    {
        foreach (var (name, (address, _)) in Nodes)
        {
            Kubectl.Run("apply -f -", $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    kubernetes.io/hostname: {name}\n").Succeeded();
            var status = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["addresses"] = new JsonArray(
                        new JsonObject { ["type"] = "InternalIP", ["address"] = address },
                        new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
                    ["nodeInfo"] = new JsonObject
                    {
                        ["osImage"] = name.StartsWith("debian", StringComparison.Ordinal) ? "Debian GNU/Linux 12 (bookworm)" : "KubeOS v1",
                        ["kernelVersion"] = Environment.OSVersion.Version.ToString(), ["kubeletVersion"] = "v1.32.0",
                        ["architecture"] = "amd64", ["operatingSystem"] = "linux", ["containerRuntimeVersion"] = "containerd://1.7.22",
                        ["bootID"] = "", ["machineID"] = "", ["systemUUID"] = "", ["kubeProxyVersion"] = "",
                    },
                },
            };
            Run.Tool("kubectl", "--kubeconfig", Kubeconfig, "patch", "node", name, "--subresource=status", "--type=merge", "-p", status.ToJsonString())
                .Succeeded($"kubectl patch node {name}");
        }
        Host = new HostPidNamespace();
        Kubelet = new TestKubelet(Kubeconfig, Host, Nodes);
    }

    public HostPidNamespace Host { get; }

    /// <summary>What the test kubelet ran into and what its containers logged, for assertion messages.</summary>
    public string KubeletReport() =>
        string.Join("\n", Kubelet.Failures) + "\n" + string.Join("\n", Kubelet.Started.Select(c => $"[{c.Key}]\n{c.Value.Log}"));

    public TestKubelet Kubelet { get; }

    /// <summary>Whether the kubelet stopped the pod's container (it notices a deleted pod on its next round).</summary>
    public bool ContainerStopped(string pod)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Kubelet.Stopped.Contains(pod) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        return Kubelet.Stopped.Contains(pod);
    }

    /// <summary>The admin pods and Secrets in the cluster, as "pod/name" and "secret/name".</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var text = Run.Tool("kubectl", "--kubeconfig", Kubeconfig, "get", "pods,secrets", "-n", Namespace,
            "-l", "app.kubernetes.io/managed-by=KubeOS.PowerShell", "-o", "name").Succeeded("kubectl get pods,secrets").StdOut;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public new void Dispose()
    {
        Kubelet.Dispose();
        Host.Dispose();
        base.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AdminContainerCollection : ICollectionFixture<AdminContainerFixture>
{
    public const string Name = "AdminContainer";
}
