using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Installation;

/// <summary>
/// Looks at the KubeOS deployment from outside the cmdlets: kubectl for what the cluster holds, the manifest files of
/// module/deploy for what should be there, and a kubeconfig whose server does not answer.
/// </summary>
public static class DeploymentProbe
{
    /// <summary>"Kind namespace/name" (or "Kind name") of every object in module/deploy/crds and module/deploy/operator.</summary>
    public static IReadOnlyList<string> ObjectsInManifestFiles(PowerShellSession ps, string? @namespace = null)
    {
        var result = ps.Run("""
            foreach ($folder in 'crds', 'operator') {
                foreach ($file in [IO.Directory]::GetFiles([IO.Path]::Combine($Root, 'module', 'deploy', $folder), '*.yaml')) {
                    foreach ($o in [k8s.KubernetesYaml]::LoadAllFromString([IO.File]::ReadAllText($file))) {
                        $ns = $o.Metadata.NamespaceProperty
                        $name = $o.Metadata.Name
                        if ($o.Kind -eq 'Namespace') { $ns = $null; if ($Namespace) { $name = $Namespace } }
                        if ($ns -and $Namespace) { $ns = $Namespace }
                        if ($ns) { "$($o.Kind) $ns/$name" } else { "$($o.Kind) $name" }
                    }
                }
            }
            """, new() { ["Root"] = RepoPaths.Root, ["Namespace"] = @namespace });
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        return result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    private const string Kinds = "customresourcedefinitions,namespaces,serviceaccounts,clusterroles,clusterrolebindings,roles,rolebindings,deployments,daemonsets";

    /// <summary>Every object of the deployment's kinds that kubectl lists, as "Kind ns/name" or "Kind name" (one kubectl call).</summary>
    public static IReadOnlySet<string> ExistingObjects(Kubectl kubectl)
    {
        var listed = kubectl.Run($"get {Kinds} -A --no-headers -o custom-columns=KIND:.kind,NAMESPACE:.metadata.namespace,NAME:.metadata.name").Succeeded();
        return listed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => f[1] == "<none>" ? $"{f[0]} {f[2]}" : $"{f[0]} {f[1]}/{f[2]}")
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether kubectl finds the object ("Kind ns/name" or "Kind name", as the cmdlets' objects print).</summary>
    public static bool Exists(Kubectl kubectl, string described)
    {
        var (kind, ns, name) = Split(described);
        var result = kubectl.Run(ns is null ? $"get {kind} {name} -o name" : $"get {kind} {name} -n {ns} -o name");
        if (result.ExitCode != 0 && !result.StdErr.Contains("NotFound"))
        {
            throw new Xunit.Sdk.XunitException($"kubectl get {described} failed: {result.StdErr}");
        }
        return result.ExitCode == 0;
    }

    public static string Get(Kubectl kubectl, string described, string jsonPath)
    {
        var (kind, ns, name) = Split(described);
        return kubectl.Run(ns is null ? $"get {kind} {name} -o jsonpath={jsonPath}" : $"get {kind} {name} -n {ns} -o jsonpath={jsonPath}").Succeeded().StdOut;
    }

    /// <summary>A copy of <paramref name="kubeconfig"/> whose server is a closed port on loopback.</summary>
    public static string UnreachableKubeconfig(string kubeconfig)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kubeos-unreachable-").FullName, "config");
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(kubeconfig), @"server: https://127\.0\.0\.1:\d+", "server: https://127.0.0.1:1"));
        return path;
    }

    private static (string Kind, string? Namespace, string Name) Split(string described)
    {
        var space = described.IndexOf(' ');
        var kind = described[..space].ToLowerInvariant();
        var rest = described[(space + 1)..];
        var slash = rest.IndexOf('/');
        return slash < 0 ? (kind, null, rest) : (kind, rest[..slash], rest[(slash + 1)..]);
    }
}
