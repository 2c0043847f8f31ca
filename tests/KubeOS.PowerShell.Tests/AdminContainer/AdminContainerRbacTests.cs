using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// module/deploy/admin-container/rbac.yaml grants exactly what the cmdlets ask the API server for: every request they
/// make (from their -Verbose API log) is covered, and nothing is granted that none of them uses.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
[Collection(AdminContainerCollection.Name)]
public sealed partial class AdminContainerRbacTests(AdminContainerFixture fixture)
{
    private static readonly string Manifests = Path.Combine(RepoPaths.Root, "module", "deploy", "admin-container");

    [Fact]
    public void The_RBAC_manifest_grants_what_the_cmdlets_use_and_no_more()
    {
        fixture.Kubectl.Run($"apply -f {Path.Combine(Manifests, "rbac.yaml")}").Succeeded();
        var granted = Rules(fixture.Kubectl.Run("get clusterrole kubeos-admin-container-nodes -o json").Succeeded().StdOut)
            .Concat(Rules(fixture.Kubectl.Run("get role kubeos-admin-container -n kube-system -o json").Succeeded().StdOut))
            .ToHashSet();

        var session = fixture.Session;
        var calls = new List<string>();
        foreach (var script in new[]
                 {
                     "Invoke-KubeOSAdminCommand -Node kubeos-a -Command true -Port $Port -Timeout 30 -Verbose",
                     "Invoke-KubeOSAdminCommand -Node kubeos-pullfail -Command true -Port $Port -Timeout 2 -Verbose",
                     "Remove-KubeOSAdminContainer -Verbose",
                 })
        {
            var result = session.Run(script, new() { ["Port"] = Run.FreePort() });
            calls.AddRange(result.Verbose.Select(v => v.Message).Where(m => ApiCall().IsMatch(m)));
        }
        var used = calls.Select(Permission).ToHashSet();
        // Tab completion of -Node lists the nodes; no cmdlet run does.
        used.Add(("", "nodes", "list"));

        Assert.Equal(used.Order(), granted.Order());
    }

    [Fact]
    public void The_pod_manifest_asks_for_the_host_namespaces_and_a_privileged_container()
    {
        var pod = JsonNode.Parse(fixture.Kubectl.Run($"create --dry-run=client -o json -f {Path.Combine(Manifests, "pod.yaml")}").Succeeded().StdOut)!;

        Assert.Equal(true, (bool?)pod["spec"]!["hostPID"]);
        Assert.Equal(true, (bool?)pod["spec"]!["hostNetwork"]);
        Assert.Equal(false, (bool?)pod["spec"]!["automountServiceAccountToken"]);
        Assert.Equal(true, (bool?)pod["spec"]!["containers"]![0]!["securityContext"]!["privileged"]);
        Assert.Equal("kubeos-admin", (string?)pod["spec"]!["volumes"]![0]!["secret"]!["secretName"]);
    }

    /// <summary>(apiGroup, resource, verb) for a logged call such as "GET /api/v1/namespaces/kube-system/pods/x -> 200 OK (3 ms)".</summary>
    private static (string, string, string) Permission(string call)
    {
        var match = ApiCall().Match(call);
        var segments = match.Groups["path"].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        var group = segments[0] == "api" ? "" : segments[1];
        var rest = segments.Skip(segments[0] == "api" ? 2 : 3).ToList();
        if (rest.Count >= 2 && rest[0] == "namespaces") rest = rest.Skip(2).ToList();
        var verb = (match.Groups["method"].Value, rest.Count) switch
        {
            ("GET", 1) => "list",
            ("GET", _) => "get",
            ("POST", _) => "create",
            ("DELETE", _) => "delete",
            var other => throw new InvalidOperationException($"unexpected call {other}: {call}"),
        };
        return (group, rest[0], verb);
    }

    private static IEnumerable<(string, string, string)> Rules(string json) =>
        from rule in JsonNode.Parse(json)!["rules"]!.AsArray()
        from g in rule!["apiGroups"]!.AsArray()
        from r in rule["resources"]!.AsArray()
        from v in rule["verbs"]!.AsArray()
        select ((string)g!, (string)r!, (string)v!);

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^? ]*)\S* -> ")]
    private static partial Regex ApiCall();
}
