using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeOS.Client;
using KubeOS.Client.Configuration;

namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Completes values read from the cluster the command would use (its -Kubeconfig and -Context as typed so far).
/// Values are cached per completer and cluster for a few seconds so pressing Tab repeatedly does not list the cluster
/// each time; a slow or unreachable cluster completes nothing.
/// </summary>
public abstract class ClusterValueCompleter : IArgumentCompleter
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);

    // Keyed by completer + kubeconfig files + context + server, so sessions on different clusters never see each other's values.
    private static readonly ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<(string Value, string Tip)> Values)> Cache = new();

    /// <summary>The values with their tool tips, in the order they are offered.</summary>
    protected abstract Task<IReadOnlyList<(string Value, string Tip)>> LoadAsync(KubeOSCluster cluster, CancellationToken cancellationToken);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var target = ClusterResolver.TryResolveForCompletion(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string);
        if (target is null)
        {
            return [];
        }
        var pattern = CompletionText.PrefixPattern(wordToComplete);
        return Values(target)
            .Where(v => pattern.IsMatch(v.Value))
            .Select(v => new CompletionResult(CompletionText.Quote(v.Value), v.Value, CompletionResultType.ParameterValue, v.Tip))
            .ToList();
    }

    private IReadOnlyList<(string Value, string Tip)> Values(ClusterTarget target)
    {
        var key = GetType().FullName + "|" + target.CacheKey;
        var now = DateTime.UtcNow;
        if (Cache.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Values;
        }
        try
        {
            using var cluster = KubeOSCluster.Connect(target);
            using var timeout = new CancellationTokenSource(ListTimeout);
            var values = Task.Run(() => LoadAsync(cluster, timeout.Token)).GetAwaiter().GetResult();
            Cache[key] = (now + CacheLifetime, values);
            return values;
        }
        catch (Exception ex) when (ex is ClusterApiException or OperationCanceledException)
        {
            return [];
        }
    }
}
