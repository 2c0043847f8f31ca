using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Proxy.Revert;

/// <summary>
/// <c>onfailurebudget: revert</c> assigns upgraded nodes a rollback with spec.revert. The proxy then acts for a copy of
/// the owning OS that asks for exactly that rollback, so every step (cordon, drain, rollback, reboot, confirm) is the
/// ordinary rollback's. Without a health gate: the revert returns to a version that ran before.
/// </summary>
public static class RevertOwner
{
    /// <summary>The OS to act for: a rollback to revert.toversion when the revert matches the OS's target, else the OS itself.</summary>
    public static OS Apply(OS owner, RevertRequest? revert)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (revert is not { ToVersion: { Length: > 0 } to } || revert.FromVersion != owner.Spec?.OSVersion) return owner;
        var copy = ManifestSerializer.FromJson<OS>(ManifestSerializer.ToJson(owner, indented: false));
        copy.Spec!.OpsType = WellKnown.OpsTypes.Rollback;
        copy.Spec.OSVersion = to;
        copy.Spec.HealthGate = null;
        copy.Spec.Prestage = null;
        return copy;
    }
}
