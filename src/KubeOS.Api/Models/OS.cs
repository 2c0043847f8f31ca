using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>An <c>OS</c> resource: one rollout policy for one group of nodes.</summary>
public sealed class OS : KubeObject
{
    public OS()
    {
        ApiVersion = WellKnown.ApiVersion;
        Kind = WellKnown.OSKind;
    }

    [JsonPropertyName("spec")] public OSSpec? Spec { get; set; }

    /// <summary>KubeOS writes no status; the class exists so later fields have a home.</summary>
    [JsonPropertyName("status")] public OSStatus? Status { get; set; }
}

/// <summary>The fields of <c>OS.spec</c>, spelled exactly as KubeOS does (all lower case except <c>flagSafe</c>).</summary>
public sealed class OSSpec
{
    [JsonPropertyName("osversion")] public string? OSVersion { get; set; }
    [JsonPropertyName("opstype")] public string? OpsType { get; set; }
    [JsonPropertyName("imagetype")] public string? ImageType { get; set; }
    [JsonPropertyName("imageurl")] public string? ImageUrl { get; set; }
    [JsonPropertyName("containerimage")] public string? ContainerImage { get; set; }
    [JsonPropertyName("checksum")] public string? Checksum { get; set; }
    [JsonPropertyName("flagSafe")] public bool? FlagSafe { get; set; }
    [JsonPropertyName("mtls")] public bool? Mtls { get; set; }
    [JsonPropertyName("cacert")] public string? CaCert { get; set; }
    [JsonPropertyName("clientcert")] public string? ClientCert { get; set; }
    [JsonPropertyName("clientkey")] public string? ClientKey { get; set; }
    /// <summary>An integer (KubeOS) or, beyond KubeOS, a percentage of the selected nodes such as "25%".</summary>
    [JsonPropertyName("maxunavailable")] public IntOrPercent? MaxUnavailable { get; set; }
    [JsonPropertyName("evictpodforce")] public bool? EvictPodForce { get; set; }
    [JsonPropertyName("sysconfigs")] public SysConfigs? SysConfigs { get; set; }
    [JsonPropertyName("upgradeconfigs")] public SysConfigs? UpgradeConfigs { get; set; }
    [JsonPropertyName("nodeselector")] public string? NodeSelector { get; set; }
    [JsonPropertyName("timewindow")] public TimeWindow? TimeWindow { get; set; }
    [JsonPropertyName("timeinterval")] public int? TimeInterval { get; set; }
    [JsonPropertyName("executionmode")] public string? ExecutionMode { get; set; }

    // Not in KubeOS: both are optional and absent means KubeOS's behaviour, so a plain KubeOS manifest is unchanged.
    /// <summary>While true no new node is assigned; nodes already in an operation finish.</summary>
    [JsonPropertyName("paused")] public bool? Paused { get; set; }
    /// <summary>Stop assigning new nodes once this many selected nodes failed the target; absent = no limit.</summary>
    [JsonPropertyName("maxfailures")] public int? MaxFailures { get; set; }

    // Not in KubeOS, all optional (absent = KubeOS's behaviour): see RolloutSafety.cs.
    /// <summary>Stage the image on every targeted node before the first cordon.</summary>
    [JsonPropertyName("prestage")] public PrestageSpec? Prestage { get; set; }
    /// <summary>Checks a node must pass after its reboot; a node that fails them is rolled back.</summary>
    [JsonPropertyName("healthgate")] public HealthGateSpec? HealthGate { get; set; }
    /// <summary>halt (default) or revert, once maxfailures is reached (<see cref="FailureBudgetActions"/>).</summary>
    [JsonPropertyName("onfailurebudget")] public string? OnFailureBudget { get; set; }
    // Rollout shape and drain policy, not in KubeOS; each absent means KubeOS's behaviour.
    /// <summary>At most N nodes out per value of a node label (e.g. per zone).</summary>
    [JsonPropertyName("topologylimit")] public TopologyLimit? TopologyLimit { get; set; }
    /// <summary>Stages (canary, then shares of the fleet) with a bake time between them.</summary>
    [JsonPropertyName("stages")] public List<RolloutStage>? Stages { get; set; }
    /// <summary>Separate drain knobs per kind of pod and an escalation policy; absent = evictpodforce decides, as in KubeOS.</summary>
    [JsonPropertyName("drain")] public DrainSpec? Drain { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Daily (<c>HH:MM[:SS]</c>) or absolute (<c>YYYY-MM-DD HH:MM:SS</c>) window for new assignments.</summary>
public sealed class TimeWindow
{
    [JsonPropertyName("starttime")] public string? StartTime { get; set; }
    [JsonPropertyName("endtime")] public string? EndTime { get; set; }
    /// <summary>Not in KubeOS: the days (Mon … Sun) a daily window opens on; absent = every day.</summary>
    [JsonPropertyName("weekdays")] public List<string>? Weekdays { get; set; }
    /// <summary>Not in KubeOS: IANA time zone of the window (e.g. Europe/Berlin); absent = the operator's local zone.</summary>
    [JsonPropertyName("timezone")] public string? TimeZone { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Status of an OS; empty in KubeOS, unknown fields are preserved.</summary>
public sealed class OSStatus
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
