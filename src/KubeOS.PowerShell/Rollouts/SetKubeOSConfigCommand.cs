using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Infrastructure;
using KubeOS.PowerShell.Plans;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Set-KubeOSConfig: writes an OS object with opstype config whose sysconfigs hold the given settings, one hashtable
/// per KubeOS configuration model. Nodes apply them without a reboot when the config version changes.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KubeOSConfig", SupportsShouldProcess = true)]
[OutputType(typeof(KubeOSUpgrade), typeof(RolloutJob))]
public sealed class SetKubeOSConfigCommand : RolloutWriteCmdlet
{
    [Parameter]
    public IDictionary? Sysctl { get; set; }

    [Parameter]
    public IDictionary? SysctlPersist { get; set; }

    [Parameter]
    public IDictionary? KernelArgument { get; set; }

    /// <summary>grub.cmdline.next: the other partition's entry, so the arguments apply when that root boots next.</summary>
    [Parameter]
    public IDictionary? StandbyKernelArgument { get; set; }

    [Parameter]
    public IDictionary? PamLimit { get; set; }

    [Parameter]
    public IDictionary? KubeletConfig { get; set; }

    [Parameter]
    public IDictionary? ContainerdConfig { get; set; }

    [Parameter(Position = 0)]
    [Alias("ConfigVersion")]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VersionCompleter))]
    public string? OSVersion { get; set; }

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
    public int TimeInterval { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    /// <summary>Parameter → model, in the order the settings are applied.</summary>
    private (string Parameter, string Model, IDictionary? Table)[] Models =>
    [
        (nameof(Sysctl), WellKnown.Models.KernelSysctl, Sysctl),
        (nameof(SysctlPersist), WellKnown.Models.KernelSysctlPersist, SysctlPersist),
        (nameof(KernelArgument), WellKnown.Models.GrubCmdlineCurrent, KernelArgument),
        (nameof(StandbyKernelArgument), WellKnown.Models.GrubCmdlineNext, StandbyKernelArgument),
        (nameof(PamLimit), WellKnown.Models.PamLimits, PamLimit),
        (nameof(KubeletConfig), WellKnown.Models.KubernetesKubelet, KubeletConfig),
        (nameof(ContainerdConfig), WellKnown.Models.ContainerContainerd, ContainerdConfig),
    ];

    protected override void EndProcessing()
    {
        RefuseWaitWithJob();
        var given = Models.Where(m => m.Table is { Count: > 0 }).ToList();
        if (given.Count == 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(RolloutErrorIds.NoSettingsGiven, ErrorCategory.InvalidArgument, null,
                "Set-KubeOSConfig was given no settings.",
                "Give at least one of -Sysctl, -SysctlPersist, -KernelArgument, -StandbyKernelArgument, -PamLimit, -KubeletConfig or -ContainerdConfig, e.g. -Sysctl @{ 'vm.swappiness' = '10' }."));
        }
        var configs = new List<SysConfig>();
        try
        {
            foreach (var (parameter, model, table) in given)
            {
                var one = new OrderedDictionary { [model] = table };
                configs.AddRange(SysConfigTable.ToSysConfigs(one, Version, parameter)!.Configs ?? []);
            }
        }
        catch (KubeOSParameterException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, null));
        }

        var selector = NodeSelector ?? WellKnown.Defaults.NodeSelector;
        var (name, existing) = ResolveTarget(Name, Namespace, selector);
        var osVersion = OSVersion ?? CurrentVersion(existing is null ? selector : RolloutReader.SelectorOf(existing));
        var bound = MyInvocation.BoundParameters;
        var os = new OS { Metadata = new ObjectMeta { Name = name, Namespace = Namespace } };
        var spec = os.Spec = CopyOf(existing?.Spec);
        spec.OpsType = WellKnown.OpsTypes.Config;
        spec.OSVersion = osVersion;
        // KubeOS's CRD requires the image fields; a config reads none of them.
        spec.ImageType = WellKnown.ImageTypes.None;
        spec.ImageUrl = spec.ContainerImage = spec.Checksum = "";
        spec.FlagSafe = spec.Mtls = false;
        spec.CaCert = spec.ClientCert = spec.ClientKey = null;
        spec.EvictPodForce ??= false;
        spec.SysConfigs = new SysConfigs { Version = Version ?? ConfigVersions.Derive(configs), Configs = configs };
        if (bound.ContainsKey(nameof(MaxUnavailable)) || spec.MaxUnavailable is null) spec.MaxUnavailable = RolloutShapeParameters.MaxUnavailable(this, MaxUnavailable, nameof(MaxUnavailable));
        if (NodeSelector is not null) spec.NodeSelector = NodeSelector;
        if (ExecutionMode is not null) spec.ExecutionMode = ExecutionMode;
        if (bound.ContainsKey(nameof(TimeInterval))) spec.TimeInterval = TimeInterval;
        spec.Paused = null;
        Validate(os, path => ParameterFor(path, configs));

        var settings = string.Join(", ", configs.Select(c => $"{c.Model} ({c.Contents?.Count ?? 0})"));
        if (!ShouldProcess($"{Namespace}/{name} (nodeselector {spec.NodeSelector ?? WellKnown.Defaults.NodeSelector})", $"Apply config version {spec.SysConfigs.Version}: {settings}"))
        {
            return;
        }
        var rollout = Write(os, existing);
        WriteVerbose($"OS {Namespace}/{name}: config version {spec.SysConfigs.Version} for {rollout.Selected} selected node(s).");
        Follow(rollout);
    }

    /// <summary>A config must name the version the nodes run (KubeOS leaves other nodes stuck), so it is read from them.</summary>
    private string CurrentVersion(string selector)
    {
        var nodes = CallCluster((c, ct) => c.ListNodesAsync(ct));
        var versions = nodes.Where(n => RolloutReader.Selects(selector, n)).Select(n => n.Status?.NodeInfo?.OsImage ?? "")
            .Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        if (versions.Count != 1 || versions[0].Length == 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(RolloutErrorIds.TargetVersionUnknown, ErrorCategory.InvalidOperation, selector,
                versions.Count == 0
                    ? $"No node is selected by nodeselector '{selector}', so the OS version to configure cannot be told."
                    : $"The nodes selected by nodeselector '{selector}' run different OS versions ({string.Join(", ", versions.Select(v => $"'{v}'"))}); a config applies to one.",
                "Give -OSVersion with the version whose nodes should be configured (the others are skipped), or finish the rollout first."));
        }
        return versions[0];
    }

    private string? ParameterFor(string path, List<SysConfig> configs)
    {
        const string prefix = "spec.sysconfigs.configs[";
        if (path.StartsWith(prefix, StringComparison.Ordinal) &&
            int.TryParse(path[prefix.Length..path.IndexOf(']')], out var index) && index < configs.Count)
        {
            return Models.FirstOrDefault(m => m.Model == configs[index].Model).Parameter;
        }
        return path switch
        {
            "spec.sysconfigs.version" => nameof(Version),
            "spec.osversion" => nameof(OSVersion),
            "spec.maxunavailable" => nameof(MaxUnavailable),
            "spec.nodeselector" => nameof(NodeSelector),
            "spec.timeinterval" => nameof(TimeInterval),
            "metadata.name" => nameof(Name),
            _ => null,
        };
    }
}
