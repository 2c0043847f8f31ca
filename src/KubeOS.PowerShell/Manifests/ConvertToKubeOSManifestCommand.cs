using System.Collections;
using System.Management.Automation;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;
using KubeOS.PowerShell.Infrastructure;
using KubeOS.PowerShell.Plans;

namespace KubeOS.PowerShell;

/// <summary>
/// ConvertTo-KubeOSManifest: builds an OS manifest from parameters, validates it and writes it as YAML (or JSON).
/// An invalid combination stops with one terminating error that names each bad field and the parameter to change.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KubeOSManifest")]
[OutputType(typeof(string))]
public sealed class ConvertToKubeOSManifestCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "default";

    [Parameter(Mandatory = true)]
    [ValidateSet("upgrade", "rollback", "config")]
    public string OpsType { get; set; } = "";

    [Parameter(Mandatory = true)]
    [Alias("OSVersion")]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = "";

    [Parameter]
    [ValidateSet("disk", "docker", "containerd")]
    public string? ImageType { get; set; }

    [Parameter]
    public string? ImageUrl { get; set; }

    [Parameter]
    public string? ContainerImage { get; set; }

    [Parameter]
    public string? Checksum { get; set; }

    /// <summary>A number of nodes, or a percentage of the selected nodes such as '25%'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MaxUnavailable { get; set; } = "1";

    [Parameter]
    public SwitchParameter EvictPodForce { get; set; }

    [Parameter]
    public SwitchParameter FlagSafe { get; set; }

    [Parameter]
    public SwitchParameter Mtls { get; set; }

    [Parameter]
    public string? CaCert { get; set; }

    [Parameter]
    public string? ClientCert { get; set; }

    [Parameter]
    public string? ClientKey { get; set; }

    [Parameter]
    public string? NodeSelector { get; set; }

    [Parameter]
    [ValidateSet("parallel", "serial")]
    public string? ExecutionMode { get; set; }

    /// <summary>Start and end, e.g. '22:00:00','04:00:00'.</summary>
    [Parameter]
    [ValidateCount(2, 2)]
    public string[]? TimeWindow { get; set; }

    [Parameter]
    public int TimeInterval { get; set; }

    [Parameter]
    public IDictionary? SysConfig { get; set; }

    [Parameter]
    public string? SysConfigVersion { get; set; }

    [Parameter]
    public IDictionary? UpgradeConfig { get; set; }

    [Parameter]
    public string? UpgradeConfigVersion { get; set; }

    /// <summary>Download and verify the image on every selected node before the first cordon (spec.prestage).</summary>
    [Parameter]
    public SwitchParameter PreStage { get; set; }

    /// <summary>How many nodes pre-stage at once (spec.prestage.maxconcurrent, default 5).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int PreStageConcurrency { get; set; }

    /// <summary>Bytes per second each node may download at, as a quantity such as 50Mi (spec.prestage.bandwidthlimit).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PreStageBandwidthLimit { get; set; }

    /// <summary>Label selector of pods on the node that must be Ready after its reboot (spec.healthgate.podselector).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthGatePodSelector { get; set; }

    /// <summary>URL os-proxy probes from the node after its reboot; $(NODE_NAME) becomes the node's name (spec.healthgate.httpprobe.url).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthGateUrl { get; set; }

    /// <summary>The status code the probe must answer (default 200).</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int HealthGateExpectStatus { get; set; }

    /// <summary>Seconds every health check must keep passing before the node is done (spec.healthgate.baketime).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int BakeTime { get; set; }

    /// <summary>Seconds a rebooted node has to pass the health gate before it is rolled back (spec.healthgate.timeout, default 600).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int HealthGateTimeout { get; set; }

    /// <summary>How many failed nodes stop the rollout (spec.maxfailures).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFailures { get; set; }

    /// <summary>What reaching -MaxFailures does: Halt (stop taking nodes) or Revert (also roll the upgraded nodes back).</summary>
    [Parameter]
    [ValidateSet("Halt", "Revert")]
    public string? OnFailureBudget { get; set; }

    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void ProcessRecord()
    {
        RequireVersionFor(SysConfig, nameof(SysConfig), SysConfigVersion, nameof(SysConfigVersion));
        RequireVersionFor(UpgradeConfig, nameof(UpgradeConfig), UpgradeConfigVersion, nameof(UpgradeConfigVersion));

        OS os;
        try
        {
            os = Build();
        }
        catch (KubeOSParameterException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, null));
            return;
        }
        var problems = ManifestValidator.Validate(os);
        foreach (var warning in problems.Where(p => !p.IsError))
        {
            WriteWarning($"{warning} {warning.Fix}");
        }
        var errors = problems.Where(p => p.IsError).ToList();
        if (errors.Count > 0)
        {
            var lines = errors.Select(p => $"  {p}{Environment.NewLine}    {ParameterHint.For(p.Path)}{p.Fix}");
            ThrowTerminatingError(ErrorRecords.From(
                new InvalidManifestException(
                    $"The OS manifest '{Name}' would be invalid:{Environment.NewLine}" + string.Join(Environment.NewLine, lines),
                    CmdletErrorIds.InvalidManifestParameter, ErrorCategory.InvalidArgument)
                {
                    RecommendedAction = "Change " + string.Join(", ", errors
                        .Select(p => ParameterHint.ParameterFor(p.Path) is { } name ? "-" + name : p.Path).Distinct()) + " as described above.",
                },
                os));
        }
        WriteObject(AsJson ? ManifestSerializer.ToJson(os, indented: true) : ManifestSerializer.ToYaml(os));
    }

    private OS Build()
    {
        var bound = MyInvocation.BoundParameters;
        var os = new OS { Metadata = new ObjectMeta { Name = Name, Namespace = Namespace } };
        // KubeOS's CRD requires these fields to be present even when empty, so they are always written.
        os.Spec = new OSSpec
        {
            OpsType = OpsType,
            OSVersion = Version,
            ImageType = ImageType ?? "",
            ImageUrl = ImageUrl ?? "",
            ContainerImage = ContainerImage ?? "",
            Checksum = Checksum ?? "",
            MaxUnavailable = RolloutShapeParameters.MaxUnavailable(MaxUnavailable, nameof(MaxUnavailable)),
            EvictPodForce = EvictPodForce.IsPresent,
            FlagSafe = FlagSafe.IsPresent,
            Mtls = Mtls.IsPresent,
            CaCert = CaCert,
            ClientCert = ClientCert,
            ClientKey = ClientKey,
            NodeSelector = NodeSelector,
            ExecutionMode = ExecutionMode,
            TimeInterval = bound.ContainsKey(nameof(TimeInterval)) ? TimeInterval : null,
            TimeWindow = TimeWindow is { Length: 2 } window ? new TimeWindow { StartTime = window[0], EndTime = window[1] } : null,
            SysConfigs = SysConfigTable.ToSysConfigs(SysConfig, SysConfigVersion, nameof(SysConfig)),
            UpgradeConfigs = SysConfigTable.ToSysConfigs(UpgradeConfig, UpgradeConfigVersion, nameof(UpgradeConfig)),
        };
        Rollouts.RolloutSafetyParameters.Apply(os.Spec, bound);
        return os;
    }

    /// <summary>Settings without a version never reach a node: the operator only acts when the version changes.</summary>
    private void RequireVersionFor(IDictionary? configs, string configParameter, string? version, string versionParameter)
    {
        if (configs is { Count: > 0 } && string.IsNullOrEmpty(version))
        {
            ThrowTerminatingError(ErrorRecords.From(
                new KubeOSParameterException(
                    $"-{configParameter} needs -{versionParameter}: nodes only apply settings when the version changes.",
                    CmdletErrorIds.ParameterConflict)
                { RecommendedAction = $"Add -{versionParameter} with a value the nodes have not applied yet, e.g. -{versionParameter} v2." },
                configParameter));
        }
    }
}
