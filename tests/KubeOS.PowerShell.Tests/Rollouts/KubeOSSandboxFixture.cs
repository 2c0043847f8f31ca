using System.Text.Json.Nodes;
using KubeOS.PowerShell.Tests.Cluster;

namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>
/// A session with a sandbox started the default way, with KubeOS installed: node-0 (control plane) runs the operator,
/// every node a proxy and a simulated os-agent, so OS objects roll out for real. Ready once every node has its OSInstance.
/// </summary>
public class KubeOSSandboxFixture : SandboxSessionFixture
{
    public static readonly string[] Workers = ["node-1", "node-2"];

    public KubeOSSandboxFixture()
        : base("")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (InstanceNames().Count < NodeCount)
        {
            if (DateTime.UtcNow > deadline)
            {
                Dispose();
                throw new InvalidOperationException("the proxies did not create an OSInstance for every node within 30 s");
            }
            Thread.Sleep(200);
        }
    }

    public HashSet<string> InstanceNames() =>
        Json("get osinstances -n default")["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToHashSet();

    /// <summary>kubectl get ... -o json, parsed.</summary>
    public JsonNode Json(string arguments) => JsonNode.Parse(Kubectl.Run(arguments + " -o json").Succeeded().StdOut)!;

    /// <summary>Node name → osImage, as the API reports it.</summary>
    public Dictionary<string, string> OsImages() =>
        Json("get nodes")["items"]!.AsArray().ToDictionary(n => (string)n!["metadata"]!["name"]!, n => (string)n!["status"]!["nodeInfo"]!["osImage"]!);

    /// <summary>The OS object as JSON, or null when it does not exist.</summary>
    public JsonNode? OS(string name)
    {
        var result = Kubectl.Run($"get os {name} -n default -o json");
        return result.ExitCode == 0 ? JsonNode.Parse(result.StdOut) : null;
    }
}
