using System.Collections;
using System.Management.Automation;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Infrastructure;
using KubeOS.PowerShell.Plans;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Start-KubeOSUpgrade: writes the OS object that upgrades the selected nodes (opstype upgrade) — a new one, or the one
/// that already selects those nodes — after checking it with the manifest rules; -Wait follows the rollout to its end.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KubeOSUpgrade", SupportsShouldProcess = true, DefaultParameterSetName = DiskSet)]
[OutputType(typeof(KubeOSUpgrade), typeof(RolloutJob))]
public sealed class StartKubeOSUpgradeCommand : RolloutWriteCmdlet
{
    private const string DiskSet = "ImageUrl";
    private const string ContainerSet = "ContainerImage";

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("OSVersion")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VersionCompleter))]
    public string Version { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = DiskSet)]
    [ValidateNotNullOrEmpty]
    public string ImageUrl { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
    [ValidateNotNullOrEmpty]
    public string ContainerImage { get; set; } = "";

    [Parameter]
    [ValidateSet("disk", "docker", "containerd")]
    public string? ImageType { get; set; }

    [Parameter]
    public string? Checksum { get; set; }

    /// <summary>A number of nodes, or a percentage of the selected nodes such as '25%'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MaxUnavailable { get; set; } = "1";

    [Parameter]
    [ValidateNotNull]
    public string? NodeSelector { get; set; }

    [Parameter]
    [ValidateSet("parallel", "serial")]
    public string? ExecutionMode { get; set; }

    [Parameter]
    [ValidateCount(2, 2)]
    public string[]? TimeWindow { get; set; }

    [Parameter]
    public int TimeInterval { get; set; }

    [Parameter]
    public SwitchParameter EvictPodForce { get; set; }

    [Parameter]
    public SwitchParameter FlagSafe { get; set; }

    [Parameter]
    public string? CaCertPath { get; set; }

    [Parameter]
    public string? ClientCertPath { get; set; }

    [Parameter]
    public string? ClientKeyPath { get; set; }

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
    [ValidateNotNullOrEmpty]
    public string? TopologyKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaxUnavailablePerTopology { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Stage { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int StageBake { get; set; }

    [Parameter]
    [ValidateSet("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    public string[]? Weekday { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    [Parameter]
    [ValidateSet("ignore", "block")]
    public string? DaemonSetPods { get; set; }

    [Parameter]
    [ValidateSet("evict", "block")]
    public string? EmptyDirPods { get; set; }

    [Parameter]
    [ValidateSet("evict", "block")]
    public string? UnmanagedPods { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int DrainWarnAfter { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int DrainFailAfter { get; set; }

    [Parameter]
    [ValidateSet("fail", "skip")]
    public string? DrainTimeoutAction { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["spec.osversion"] = nameof(Version), ["spec.imagetype"] = nameof(ImageType), ["spec.imageurl"] = nameof(ImageUrl),
        ["spec.containerimage"] = nameof(ContainerImage), ["spec.checksum"] = nameof(Checksum), ["spec.flagSafe"] = nameof(FlagSafe),
        ["spec.cacert"] = nameof(CaCertPath), ["spec.clientcert"] = nameof(ClientCertPath), ["spec.clientkey"] = nameof(ClientKeyPath),
        ["spec.mtls"] = nameof(ClientCertPath), ["spec.maxunavailable"] = nameof(MaxUnavailable), ["spec.nodeselector"] = nameof(NodeSelector),
        ["spec.executionmode"] = nameof(ExecutionMode), ["spec.timewindow"] = nameof(TimeWindow), ["spec.timeinterval"] = nameof(TimeInterval),
        ["spec.upgradeconfigs.version"] = nameof(UpgradeConfigVersion), ["spec.upgradeconfigs"] = nameof(UpgradeConfig),
        ["metadata.name"] = nameof(Name), ["metadata.namespace"] = nameof(Namespace),
        ["spec.prestage.maxconcurrent"] = nameof(PreStageConcurrency), ["spec.prestage.bandwidthlimit"] = nameof(PreStageBandwidthLimit),
        ["spec.prestage"] = nameof(PreStage), ["spec.healthgate.podselector"] = nameof(HealthGatePodSelector),
        ["spec.healthgate.httpprobe.expectstatus"] = nameof(HealthGateExpectStatus), ["spec.healthgate.httpprobe"] = nameof(HealthGateUrl),
        ["spec.healthgate.baketime"] = nameof(BakeTime), ["spec.healthgate.timeout"] = nameof(HealthGateTimeout),
        ["spec.maxfailures"] = nameof(MaxFailures), ["spec.onfailurebudget"] = nameof(OnFailureBudget),
        ["spec.topologylimit"] = nameof(TopologyKey), ["spec.topologylimit.maxunavailable"] = nameof(MaxUnavailablePerTopology),
        ["spec.stages"] = nameof(Stage), ["spec.timewindow.weekdays"] = nameof(Weekday), ["spec.timewindow.timezone"] = nameof(TimeZone),
        ["spec.drain.daemonsetpods"] = nameof(DaemonSetPods), ["spec.drain.emptydirpods"] = nameof(EmptyDirPods),
        ["spec.drain.unmanagedpods"] = nameof(UnmanagedPods), ["spec.drain.escalation.warnafter"] = nameof(DrainWarnAfter),
        ["spec.drain.escalation.failafter"] = nameof(DrainFailAfter), ["spec.drain.escalation.action"] = nameof(DrainTimeoutAction),
    };

    internal static string? ParameterFor(IReadOnlyDictionary<string, string> map, string path) =>
        map.Where(m => path == m.Key || path.StartsWith(m.Key + ".", StringComparison.Ordinal) || path.StartsWith(m.Key + "[", StringComparison.Ordinal))
            .OrderByDescending(m => m.Key.Length).Select(m => m.Value).FirstOrDefault();

    /// <summary>Topology limit, stages, calendar and drain knobs: each kept from the existing OS object unless given.</summary>
    private void ApplyShape(OSSpec spec)
    {
        int? warnAfter = DrainWarnAfter > 0 ? DrainWarnAfter : null, failAfter = DrainFailAfter > 0 ? DrainFailAfter : null;
        if (TopologyKey is not null || MaxUnavailablePerTopology is not null)
        {
            spec.TopologyLimit ??= new TopologyLimit();
            if (TopologyKey is not null) spec.TopologyLimit.Key = TopologyKey;
            if (MaxUnavailablePerTopology is not null)
                spec.TopologyLimit.MaxUnavailable = RolloutShapeParameters.MaxUnavailable(MaxUnavailablePerTopology, nameof(MaxUnavailablePerTopology));
        }
        if (Stage is not null) spec.Stages = RolloutShapeParameters.Stages(Stage, MyInvocation.BoundParameters.ContainsKey(nameof(StageBake)) ? StageBake : null);
        if (Weekday is not null || TimeZone is not null)
        {
            // Days or a zone without -TimeWindow: the whole day, on those days.
            spec.TimeWindow ??= new TimeWindow { StartTime = "00:00:00", EndTime = "23:59:59" };
            if (Weekday is not null) spec.TimeWindow.Weekdays = Weekday.ToList();
            if (TimeZone is not null) spec.TimeWindow.TimeZone = TimeZone;
        }
        if (DaemonSetPods is not null || EmptyDirPods is not null || UnmanagedPods is not null ||
            warnAfter is not null || failAfter is not null || DrainTimeoutAction is not null)
        {
            var drain = spec.Drain ??= new DrainSpec();
            drain.DaemonSetPods = DaemonSetPods ?? drain.DaemonSetPods;
            drain.EmptyDirPods = EmptyDirPods ?? drain.EmptyDirPods;
            drain.UnmanagedPods = UnmanagedPods ?? drain.UnmanagedPods;
            if (warnAfter is not null || failAfter is not null || DrainTimeoutAction is not null)
            {
                var escalation = drain.Escalation ??= new DrainEscalation();
                escalation.WarnAfter = warnAfter ?? escalation.WarnAfter;
                escalation.FailAfter = failAfter ?? escalation.FailAfter;
                escalation.Action = DrainTimeoutAction ?? escalation.Action;
            }
        }
    }

    protected override void EndProcessing()
    {
        RefuseWaitWithJob();
        var bound = MyInvocation.BoundParameters;
        var selector = NodeSelector ?? WellKnown.Defaults.NodeSelector;
        var (name, existing) = ResolveTarget(Name, Namespace, selector);
        var os = new OS { Metadata = new ObjectMeta { Name = name, Namespace = Namespace } };
        var spec = os.Spec = CopyOf(existing?.Spec);
        try
        {
            spec.OpsType = WellKnown.OpsTypes.Upgrade;
            spec.OSVersion = Version;
            spec.ImageType = ImageType ?? (ParameterSetName == ContainerSet ? WellKnown.ImageTypes.Containerd : WellKnown.ImageTypes.Disk);
            spec.ImageUrl = ParameterSetName == DiskSet ? ImageUrl : "";
            spec.ContainerImage = ParameterSetName == ContainerSet ? ContainerImage : "";
            spec.Checksum = Checksum ?? "";
            spec.FlagSafe = FlagSafe.IsPresent;
            spec.CaCert = CertificateFileName.Of(CaCertPath, nameof(CaCertPath));
            spec.ClientCert = CertificateFileName.Of(ClientCertPath, nameof(ClientCertPath));
            spec.ClientKey = CertificateFileName.Of(ClientKeyPath, nameof(ClientKeyPath));
            spec.Mtls = spec.ClientCert is not null || spec.ClientKey is not null;
            spec.EvictPodForce = EvictPodForce.IsPresent;
            // Rollout rules keep the values the OS object has unless they are given.
            if (bound.ContainsKey(nameof(MaxUnavailable)) || spec.MaxUnavailable is null)
                spec.MaxUnavailable = RolloutShapeParameters.MaxUnavailable(MaxUnavailable, nameof(MaxUnavailable));
            if (NodeSelector is not null) spec.NodeSelector = NodeSelector;
            if (ExecutionMode is not null) spec.ExecutionMode = ExecutionMode;
            if (TimeWindow is { Length: 2 } window) spec.TimeWindow = new TimeWindow { StartTime = window[0], EndTime = window[1] };
            if (bound.ContainsKey(nameof(TimeInterval))) spec.TimeInterval = TimeInterval;
            ApplyShape(spec);
            if (UpgradeConfig is not null)
            {
                var configs = SysConfigTable.ToSysConfigs(UpgradeConfig, UpgradeConfigVersion, nameof(UpgradeConfig))!;
                configs.Version = string.IsNullOrEmpty(UpgradeConfigVersion) ? ConfigVersions.Derive(configs.Configs ?? []) : UpgradeConfigVersion;
                spec.UpgradeConfigs = configs;
            }
            // A new upgrade runs: a pause set on the previous operation does not carry over.
            spec.Paused = null;
            RolloutSafetyParameters.Apply(spec, MyInvocation.BoundParameters);
        }
        catch (KubeOSParameterException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, null));
        }
        Validate(os, path => ParameterFor(Parameters, path));

        var action = existing is null ? $"Create OS object to upgrade to {Version}" : $"Update OS object to upgrade to {Version}";
        if (!ShouldProcess($"{Namespace}/{name} (nodeselector {spec.NodeSelector ?? WellKnown.Defaults.NodeSelector})", action))
        {
            // -WhatIf: show the plan the operator would follow with this spec, from the cluster as it is now.
            if (bound.ContainsKey("WhatIf"))
            {
                var plan = CallCluster((cluster, ct) => PlanReader.PlanAsync(cluster, os, DateTimeOffset.UtcNow, ct), $"{Namespace}/{name}");
                foreach (var line in PlanText.Lines(plan)) Host.UI.WriteLine(line);
            }
            return;
        }
        var rollout = Write(os, existing);
        WriteVerbose($"{(existing is null ? "Created" : "Updated")} OS {Namespace}/{name}: upgrade of {rollout.Selected} selected node(s) to {Version}.");
        Follow(rollout);
    }
}
