using KubeOS.Api.Models;
using KubeOS.Api.Selectors;
using KubeOS.Proxy.Execution;
using KubeOS.Proxy.Steps;

namespace KubeOS.Proxy.HealthGate;

/// <summary>
/// Gathers what the health gate checks: the pods on the node from the API server, and the HTTP probe made from this
/// process, which runs on the node (so a probe of 127.0.0.1 reaches the node itself).
/// </summary>
public sealed class HealthGateObserver(ClusterGateway cluster, HttpClient http)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthObservation> ObserveAsync(NodeView node, HealthGateSpec gate, CancellationToken ct)
    {
        var pods = await cluster.PodsOnAsync(node.Name, ct).ConfigureAwait(false);
        var selector = gate.PodSelector is { Length: > 0 } text ? PodSelector.TryParse(text, out _) : null;
        var probeFailure = gate.HttpProbe is { Url: { Length: > 0 } } probe ? await ProbeAsync(probe, node.Name, ct).ConfigureAwait(false) : null;
        return HealthObservation.From(node.Ready, pods, selector, probeFailure);
    }

    /// <summary>Null when the probe answered the expected status; otherwise what it got instead.</summary>
    private async Task<string?> ProbeAsync(HttpProbeSpec probe, string nodeName, CancellationToken ct)
    {
        var url = ProbeUrl(probe, nodeName);
        var expect = probe.ExpectStatus ?? HttpProbeSpec.DefaultExpectStatus;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return (int)response.StatusCode == expect ? null : $"probe {url} answered HTTP {(int)response.StatusCode}, expected {expect}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"probe {url} did not answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return $"probe {url} failed: {e.Message}";
        }
    }

    /// <summary>The URL with <c>$(NODE_NAME)</c> replaced by the node's name.</summary>
    public static string ProbeUrl(HttpProbeSpec probe, string nodeName) =>
        (probe.Url ?? "").Replace(HttpProbeSpec.NodeNamePlaceholder, Uri.EscapeDataString(nodeName), StringComparison.Ordinal);
}
