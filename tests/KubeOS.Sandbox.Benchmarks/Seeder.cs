using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Benchmarks;

/// <summary>Fills the store directly (seeding is not what is measured) with realistic node and pod objects.</summary>
public static class Seeder
{
    public static void Nodes(ResourceService service, int count, int nodes = 1)
    {
        for (var i = 0; i < count; i++)
        {
            var node = JsonNode.Parse(Fill("""
            {"metadata":{"name":"node-@I@","labels":{"kubernetes.io/hostname":"node-@I@","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","node-role.kubernetes.io/worker":""}},
             "spec":{"podCIDR":"10.244.@I250@.0/24"},
             "status":{"addresses":[{"type":"InternalIP","address":"10.0.@IDIV@.@IMOD1@"},{"type":"Hostname","address":"node-@I@"}],
              "capacity":{"cpu":"4","memory":"8130000Ki","pods":"110"},"allocatable":{"cpu":"4","memory":"8130000Ki","pods":"110"},
              "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"},
                            {"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}],
              "nodeInfo":{"osImage":"KubeOS v1","kernelVersion":"5.10.0-182.0.0.95.oe2203sp3.x86_64","kubeletVersion":"v1.32.0","containerRuntimeVersion":"containerd://1.7.22","operatingSystem":"linux","architecture":"amd64"}}}
            """, i, nodes))!.AsObject();
            service.Create(BuiltinResources.Nodes, null, node);
        }
    }

    public static void Pods(ResourceService service, int count, int nodes)
    {
        for (var i = 0; i < count; i++)
        {
            var pod = JsonNode.Parse(Fill("""
            {"metadata":{"name":"pod-@I@","labels":{"app":"workload-@I100@"},
               "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"workload-@I100@","uid":"00000000-0000-0000-0000-@I100D@","controller":true}]},
             "spec":{"nodeName":"node-@NODE@","containers":[{"name":"app","image":"registry.example/workload:1","resources":{}}],"restartPolicy":"Always"}}
            """, i, nodes))!.AsObject();
            service.Create(BuiltinResources.Pods, "default", pod);
        }
    }

    private static string Fill(string template, int i, int nodes) => template
        .Replace("@I@", i.ToString()).Replace("@I250@", (i % 250).ToString()).Replace("@IDIV@", (i / 250).ToString())
        .Replace("@IMOD1@", (i % 250 + 1).ToString()).Replace("@I100@", (i % 100).ToString())
        .Replace("@I100D@", (i % 100).ToString("D12")).Replace("@NODE@", (i % Math.Max(nodes, 1)).ToString());
}
