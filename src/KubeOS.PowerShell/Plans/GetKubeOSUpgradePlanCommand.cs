using System.Management.Automation;
using KubeOS.Api;
using KubeOS.PowerShell.Rollouts;

namespace KubeOS.PowerShell.Plans;

/// <summary>
/// Get-KubeOSUpgradePlan: for each OS object, the plan the operator would follow from the cluster as it is now —
/// batches in order with their nodes and stage, the PodDisruptionBudgets that would block a drain now, and the ETA
/// from the measured durations of nodes already done. Reads only.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeOSUpgradePlan", DefaultParameterSetName = ByName)]
[OutputType(typeof(KubeOSUpgradePlan))]
public sealed class GetKubeOSUpgradePlanCommand : RolloutCmdlet
{
    private const string ByName = "Name";
    private const string ByObject = "InputObject";

    [Parameter(Position = 0, ParameterSetName = ByName)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
    public KubeOSUpgrade? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is { } rollout)
        {
            WritePlan(rollout.OS);
            return;
        }
        var all = CallCluster((cluster, ct) => RolloutReader.ListAsync(cluster, Namespace, ct), Namespace) ?? [];
        var names = Name is { Length: > 0 } ? Name : ["*"];
        foreach (var name in names)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(o => pattern.IsMatch(o.Metadata?.Name ?? "")).OrderBy(o => o.Metadata?.Name, StringComparer.Ordinal).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name)) WriteNotFound(Namespace, name);
            foreach (var os in matches) WritePlan(os);
        }
    }

    private void WritePlan(Api.Models.OS os)
    {
        var plan = CallCluster((cluster, ct) => PlanReader.PlanAsync(cluster, os, DateTimeOffset.UtcNow, ct), $"{os.Metadata?.Namespace}/{os.Metadata?.Name}");
        WriteObject(KubeOSUpgradePlan.From(os, plan));
    }
}
