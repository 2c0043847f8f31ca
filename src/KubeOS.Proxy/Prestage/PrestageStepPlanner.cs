using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;

namespace KubeOS.Proxy.Prestage;

/// <summary>What a Prestage step does: stage the OS's image (no cordon), or only record that it is already staged.</summary>
/// <param name="Os">The OS whose image is staged (image source, checksum, bandwidth limit).</param>
/// <param name="AlreadyStaged">The agent already holds exactly this image: record it, fetch nothing.</param>
public sealed record PrestageOrder(OS Os, PrestageRequest Request, bool AlreadyStaged);

/// <summary>
/// Pre-staging on a node with no operation assigned (spec.prestage, written by the operator before the first cordon):
/// pure, from the situation. The image is fetched once; a staged or failed request is not run again, and a request the
/// OS no longer makes (its target or checksum changed, or prestage was turned off) is ignored.
/// </summary>
public static class PrestageStepPlanner
{
    public static NodeStep? Next(NodeSituation s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!Pending(s, out var request, out var os)) return null;
        var phase = s.Instance!.Status?.Phase ?? NodePhases.Idle;
        var message = s.Instance.Status?.Message ?? "";
        if (s.Agent is not { } agent)
            return new NodeStep(StepKind.Nothing, phase, message) { RequeueAfter = NodeStepPlanner.Poll };
        var staged = agent.Staged is { } image && image.Version == request.OSVersion &&
                     (string.IsNullOrEmpty(request.Checksum) || string.Equals(image.CheckSum, request.Checksum, StringComparison.OrdinalIgnoreCase));
        return new NodeStep(StepKind.Prestage, phase, message) { Prestage = new PrestageOrder(os, request, staged) };
    }

    /// <summary>True while this node has pre-staging to do (so the proxy keeps looking rather than idling).</summary>
    public static bool Pending(NodeSituation s) => Pending(s, out _, out _);

    private static bool Pending(NodeSituation s, out PrestageRequest request, out OS os)
    {
        request = null!;
        os = null!;
        if (s.Instance?.Spec?.Prestage is not { } wanted || s.PrestageOwner is not { Spec: { } spec } owner || s.Node is not { } node) return false;
        if (spec.Prestage?.Enabled != true || spec.OSVersion != wanted.OSVersion ||
            !string.Equals(spec.Checksum ?? "", wanted.Checksum ?? "", StringComparison.OrdinalIgnoreCase)) return false;
        if (node.OsImage == wanted.OSVersion) return false;
        if (s.Instance.Status?.Prestage is { } done && done.IsFor(wanted) && done.State is PrestageStates.Staged or PrestageStates.Failed) return false;
        request = wanted;
        os = owner;
        return true;
    }
}
