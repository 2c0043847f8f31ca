using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeOS.Api;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Suspend- and Resume-KubeOSUpgrade: set spec.paused of OS objects. While paused the operator assigns no new node;
/// nodes already in an operation finish it.
/// </summary>
public abstract class PauseCommand : RolloutCmdlet
{
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    public KubeOSUpgrade[] InputObject { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract bool Paused { get; }

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName == InputSet
            ? InputObject.Select(r => (r.Namespace, r.Name))
            : Name.Select(n => (Namespace, n));
        foreach (var (ns, name) in targets)
        {
            if (!ShouldProcess($"{ns}/{name}", Paused ? "Pause rollout (set spec.paused)" : "Resume rollout (clear spec.paused)"))
            {
                continue;
            }
            var exists = CallCluster((c, ct) => c.OS.GetAsync(ns, name, ct), $"{ns}/{name}") is not null;
            if (!exists)
            {
                WriteNotFound(ns, name);
                continue;
            }
            var patch = new JsonObject { ["spec"] = new JsonObject { ["paused"] = Paused } };
            CallCluster((c, ct) => c.OS.PatchAsync(ns, name, patch, ct), $"{ns}/{name}");
            WriteVerbose($"OS {ns}/{name}: spec.paused = {Paused.ToString().ToLowerInvariant()}.");
            if (PassThru && Read(ns, name) is { } rollout)
            {
                WriteObject(rollout);
            }
        }
    }
}

/// <summary>Suspend-KubeOSUpgrade: pause rollouts (spec.paused = true).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "KubeOSUpgrade", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KubeOSUpgrade))]
public sealed class SuspendKubeOSUpgradeCommand : PauseCommand
{
    protected override bool Paused => true;
}

/// <summary>Resume-KubeOSUpgrade: let paused rollouts go on (spec.paused = false).</summary>
[Cmdlet(VerbsLifecycle.Resume, "KubeOSUpgrade", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KubeOSUpgrade))]
public sealed class ResumeKubeOSUpgradeCommand : PauseCommand
{
    protected override bool Paused => false;
}
