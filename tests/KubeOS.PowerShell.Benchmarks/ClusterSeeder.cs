using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api.Crds;
using KubeOS.Sandbox;
using KubeOS.Sandbox.Resources;

namespace KubeOS.PowerShell.Benchmarks;

/// <summary>
/// Fills an in-process sandbox with a fleet: nodes shaped like kubelet's (labels, addresses, conditions, nodeInfo) and
/// one OSInstance per node with spec and status, written straight into the store (seeding is not what is measured).
/// </summary>
public static class ClusterSeeder
{
    public static async Task SeedAsync(SandboxServer server, IKubernetes client, int nodes)
    {
        foreach (var yaml in CustomResourceDefinitions.All.Values)
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml));
        }
        var instances = server.Resources.Catalog.Find("upgrade.openeuler.org", "v1alpha1", "osinstances")
            ?? throw new InvalidOperationException("the sandbox does not serve osinstances after the CRDs were created");
        for (var i = 0; i < nodes; i++)
        {
            var name = $"node-{i}";
            server.Resources.Create(BuiltinResources.Nodes, null, Node(name, i));
            server.Resources.Create(instances, "default", Instance(name));
            server.Resources.Update(instances, "default", name, InstanceWithStatus(name, server.Resources.Get(instances, "default", name)), "status");
        }
    }

    private static JsonObject Node(string name, int i) => JsonNode.Parse($$"""
        {"metadata":{"name":"{{name}}","labels":{"kubernetes.io/hostname":"{{name}}","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
           "node-role.kubernetes.io/worker":"","upgrade.openeuler.org/node-selector":"group-{{i % 10}}"} },
         "spec":{"podCIDR":"10.244.{{i % 250}}.0/24"},
         "status":{"addresses":[{"type":"InternalIP","address":"10.0.{{i / 250}}.{{i % 250 + 1}}"},{"type":"Hostname","address":"{{name}}"}],
          "capacity":{"cpu":"4","memory":"8130000Ki","pods":"110"},"allocatable":{"cpu":"4","memory":"8130000Ki","pods":"110"},
          "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"},
                        {"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}],
          "nodeInfo":{"osImage":"KubeOS v1","kernelVersion":"5.10.0-182.0.0.95.oe2203sp3.x86_64","kubeletVersion":"v1.32.0","containerRuntimeVersion":"containerd://1.7.22","operatingSystem":"linux","architecture":"amd64","bootID":"{{Guid.NewGuid()}}"} } }
        """)!.AsObject();

    private static JsonObject Instance(string name) => JsonNode.Parse($$"""
        {"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OSInstance",
         "metadata":{"name":"{{name}}","namespace":"default","labels":{"upgrade.openeuler.org/osinstance-node":"{{name}}"} },
         "spec":{"nodestatus":"idle","sysconfigs":{"version":"v1","configs":[{"model":"kernel.sysctl","contents":[{"key":"net.ipv4.ip_forward","value":"1"} ] } ] },
                 "upgradeconfigs":{"version":"v1","configs":[]} } }
        """)!.AsObject();

    private static JsonObject InstanceWithStatus(string name, JsonObject stored)
    {
        var body = stored.DeepClone().AsObject();
        body["status"] = JsonNode.Parse("""
            {"phase":"Succeeded","message":"upgraded to KubeOS v1","sysconfigs":{"version":"v1","configs":[]},"upgradeconfigs":{"version":"v1","configs":[]}}
            """);
        return body;
    }
}
