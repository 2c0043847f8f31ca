using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeOS.Client;
using KubeOS.PowerShell.Cluster;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Completes OS versions: the osImage of every node and the osversion of every OS object of the cluster the command
/// would use, with how many nodes run each. Cached per cluster for a few seconds; an unreachable cluster completes nothing.
/// </summary>
public sealed class VersionCompleter : IArgumentCompleter
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<(string Version, string Tip)> Versions)> Cache = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var target = ClusterResolver.TryResolveForCompletion(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string);
        if (target is null)
        {
            return [];
        }
        var pattern = CompletionText.PrefixPattern(wordToComplete);
        return Versions(target)
            .Where(v => pattern.IsMatch(v.Version))
            .Select(v => new CompletionResult(CompletionText.Quote(v.Version), v.Version, CompletionResultType.ParameterValue, v.Tip))
            .ToList();
    }

    private static IReadOnlyList<(string Version, string Tip)> Versions(Client.Configuration.ClusterTarget target)
    {
        var now = DateTime.UtcNow;
        if (Cache.TryGetValue(target.CacheKey, out var cached) && cached.Expires > now)
        {
            return cached.Versions;
        }
        try
        {
            using var cluster = KubeOSCluster.Connect(target);
            using var timeout = new CancellationTokenSource(ListTimeout);
            var (nodes, objects) = Task.Run(async () =>
            {
                var n = await cluster.ListNodesAsync(timeout.Token).ConfigureAwait(false);
                var o = await RolloutReader.ListAsync(cluster, Api.WellKnown.OSInstanceNamespace, timeout.Token).ConfigureAwait(false);
                return (n, o ?? []);
            }).GetAwaiter().GetResult();
            var running = nodes.Select(n => n.Status?.NodeInfo?.OsImage).OfType<string>()
                .GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var wanted = objects.Where(o => !string.IsNullOrEmpty(o.Spec?.OSVersion))
                .GroupBy(o => o.Spec!.OSVersion!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(o => o.Metadata?.Name)), StringComparer.Ordinal);
            var versions = running.Keys.Union(wanted.Keys).OrderBy(v => v, StringComparer.Ordinal)
                .Select(v => (v, string.Join("; ", new[]
                {
                    running.TryGetValue(v, out var count) ? $"{count} node(s) run it" : null,
                    wanted.TryGetValue(v, out var names) ? $"target of OS {names}" : null,
                }.OfType<string>())))
                .ToList();
            Cache[target.CacheKey] = (now + CacheLifetime, versions);
            return versions;
        }
        catch (Exception ex) when (ex is ClusterApiException or OperationCanceledException)
        {
            return [];
        }
    }
}
