using System.Management.Automation;
using KubeOS.Api;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Wait-KubeOSUpgrade: waits until no node selected by the given rollouts has work left, with a progress bar per
/// rollout and per node in operation, and writes their final state. All rollouts are waited on together.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KubeOSUpgrade", DefaultParameterSetName = NameSet)]
[OutputType(typeof(KubeOSUpgrade))]
public sealed class WaitKubeOSUpgradeCommand : RolloutCmdlet
{
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";

    private readonly List<KubeOSUpgrade> _rollouts = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    public KubeOSUpgrade[] InputObject { get; set; } = [];

    /// <summary>Seconds to wait; -1 (the default) waits until the rollouts end.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputSet)
        {
            _rollouts.AddRange(InputObject);
            return;
        }
        foreach (var name in Name)
        {
            if (Read(Namespace, name) is { } rollout)
            {
                _rollouts.Add(rollout);
            }
            else
            {
                WriteNotFound(Namespace, name);
            }
        }
    }

    protected override void EndProcessing()
    {
        var unique = _rollouts.GroupBy(r => (r.Namespace, r.Name)).Select(g => g.First()).ToList();
        if (unique.Count > 0)
        {
            WriteObject(WaitFor(unique, Timeout), enumerateCollection: true);
        }
    }
}
