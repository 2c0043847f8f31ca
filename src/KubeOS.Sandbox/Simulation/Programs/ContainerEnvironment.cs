using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace KubeOS.Sandbox.Simulation.Programs;

/// <summary>
/// A container's environment as the kubelet would set it: literal values and the downward-API fields
/// (<c>fieldRef</c>). Variables that need a ConfigMap, Secret or resource lookup are left out rather than guessed.
/// </summary>
public static partial class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string> Resolve(V1Pod pod, V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value ?? (variable.ValueFrom?.FieldRef?.FieldPath is { } path ? Field(pod, path) : null);
            if (value is not null) env[variable.Name] = Expand(value, env);
        }
        return env;
    }

    /// <summary>Binds <c>A__B</c> variables as <c>A:B</c>, the way Host.CreateApplicationBuilder reads the process environment.</summary>
    public static IConfiguration ToConfiguration(IReadOnlyDictionary<string, string> env) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(env.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .Build();

    private static string? Field(V1Pod pod, string path)
    {
        var match = LabelOrAnnotation().Match(path);
        if (match.Success)
        {
            var map = match.Groups[1].Value == "labels" ? pod.Metadata.Labels : pod.Metadata.Annotations;
            return map is not null && map.TryGetValue(match.Groups[2].Value, out var v) ? v : "";
        }
        return path switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty,
            "metadata.uid" => pod.Metadata.Uid,
            "spec.nodeName" => pod.Spec.NodeName,
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName,
            "status.hostIP" => pod.Status?.HostIP,
            "status.podIP" => pod.Status?.PodIP,
            _ => null,
        };
    }

    // $(VAR) refers to a variable defined earlier in the list; $$ escapes a literal dollar — the kubelet's rules.
    private static string Expand(string value, Dictionary<string, string> earlier) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : earlier.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex LabelOrAnnotation();

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
