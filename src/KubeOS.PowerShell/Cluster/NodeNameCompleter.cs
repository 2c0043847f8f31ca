using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeOS.Client;

namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Completes node names from the cluster the command would use. Names are cached per cluster for a few seconds so
/// pressing Tab repeatedly does not list the nodes each time; a slow or unreachable cluster completes nothing.
/// </summary>
public sealed class NodeNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);

    // Keyed by kubeconfig files + context + server, so sessions on different clusters never see each other's names.
    private static readonly ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<(string Name, string Tip)> Nodes)> Cache = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var target = ClusterResolver.TryResolveForCompletion(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string);
        if (target is null)
        {
            return [];
        }
        var pattern = CompletionText.PrefixPattern(wordToComplete);
        return Nodes(target)
            .Where(n => pattern.IsMatch(n.Name))
            .Select(n => new CompletionResult(CompletionText.Quote(n.Name), n.Name, CompletionResultType.ParameterValue, n.Tip))
            .ToList();
    }

    private static IReadOnlyList<(string Name, string Tip)> Nodes(Client.Configuration.ClusterTarget target)
    {
        var now = DateTime.UtcNow;
        if (Cache.TryGetValue(target.CacheKey, out var cached) && cached.Expires > now)
        {
            return cached.Nodes;
        }
        try
        {
            using var cluster = KubeOSCluster.Connect(target);
            using var timeout = new CancellationTokenSource(ListTimeout);
            var nodes = Task.Run(() => cluster.ListNodesAsync(timeout.Token)).GetAwaiter().GetResult()
                .Select(n => KubeOSNodeFactory.Create(n, null))
                .OrderBy(n => n.Name, StringComparer.Ordinal)
                .Select(n => (n.Name, $"{n.Name}: {n.OSVersion}, {n.Status}"))
                .ToList();
            Cache[target.CacheKey] = (now + CacheLifetime, nodes);
            return nodes;
        }
        catch (Exception ex) when (ex is ClusterApiException or OperationCanceledException)
        {
            return [];
        }
    }
}
