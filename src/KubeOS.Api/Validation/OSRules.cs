using System.Text.RegularExpressions;
using KubeOS.Api.Models;

namespace KubeOS.Api.Validation;

/// <summary>
/// Rules for OS.spec: what KubeOS's CRD enforces, plus the checks its operator and agent only make at run time
/// (where a mistake shows up as a stuck rollout or a failed node), made up-front.
/// </summary>
internal static partial class OSRules
{
    private const string Upgrade = WellKnown.OpsTypes.Upgrade;
    private const string Disk = WellKnown.ImageTypes.Disk;

    public static void Check(OSSpec spec, ProblemCollector c)
    {
        CheckRequired(spec, c);
        CheckEnums(spec, c);
        c.MaxLength(spec.OSVersion, "spec.osversion", 256);
        c.MaxLength(spec.ImageUrl, "spec.imageurl", 2048);
        c.MaxLength(spec.ContainerImage, "spec.containerimage", 512);
        c.MaxLength(spec.CaCert, "spec.cacert", 253);
        c.MaxLength(spec.ClientCert, "spec.clientcert", 253);
        c.MaxLength(spec.ClientKey, "spec.clientkey", 253);

        RolloutShapeRules.CheckMaxUnavailable(spec.MaxUnavailable, "spec.maxunavailable", c);
        if (spec.TimeInterval is < 0)
            c.Error("spec.timeinterval", $"must be an integer >= 0, got {spec.TimeInterval}",
                "Set timeinterval to the seconds between assignment rounds (default 15).", ErrorIds.TimeIntervalOutOfRange);
        if (spec.MaxFailures is < 1)
            c.Error("spec.maxfailures", $"must be an integer >= 1, got {spec.MaxFailures}",
                "Set maxfailures to how many failed nodes halt the rollout, at least 1, or remove it for no limit.", ErrorIds.MaxFailuresOutOfRange);

        if (spec.Checksum is { Length: > 0 } sum && !Checksum().IsMatch(sum))
            c.Error("spec.checksum", $"must be 64 hexadecimal characters (sha256), got {ProblemCollector.Quote(sum)}",
                "Use the output of sha256sum for disk, or the image digest without \"sha256:\" for docker/containerd.", ErrorIds.InvalidChecksum);
        if (spec.ContainerImage is { Length: > 0 } image && !ContainerImage().IsMatch(image))
            c.Error("spec.containerimage", $"must be registry[:port]/path/name[:tag] or name@sha256:<digest>, got {ProblemCollector.Quote(image)}",
                "Write the image reference without a scheme or spaces, e.g. registry.example.com/kubeos/upgrade:1.0.3.", ErrorIds.InvalidContainerImage);
        if (spec.NodeSelector is { } selector && (selector.Length > 63 || !LabelValue().IsMatch(selector)))
            c.Error("spec.nodeselector", $"must be a valid label value (at most 63 letters, digits, '-', '_' or '.'), got {ProblemCollector.Quote(selector)}",
                "Use the value of the nodes' upgrade.openeuler.org/node-selector label, or no-label / all-label.", ErrorIds.InvalidNodeSelector);

        if (spec.OpsType == Upgrade) CheckUpgrade(spec, c);

        if (spec.TimeWindow is not null) TimeWindowRules.Check(spec.TimeWindow, "spec.timewindow", c);
        RolloutSafetyRules.Check(spec, c);
        RolloutShapeRules.Check(spec, c);
        ConfigRules.Check(spec.SysConfigs, "spec.sysconfigs", c);
        ConfigRules.Check(spec.UpgradeConfigs, "spec.upgradeconfigs", c);
    }

    private static void CheckRequired(OSSpec spec, ProblemCollector c)
    {
        if (spec.OSVersion is null) c.Required("spec.osversion", "Add osversion: the PRETTY_NAME of the target image, e.g. \"KubeOS 1.0.2\".");
        if (spec.OpsType is null) c.Required("spec.opstype", "Add opstype: upgrade, config or rollback.");
        if (spec.ImageType is null) c.Required("spec.imagetype", "Add imagetype: disk, docker or containerd (\"\" for config and rollback).");
        if (spec.ImageUrl is null) c.Required("spec.imageurl", "Add imageurl (\"\" unless imagetype is disk).");
        if (spec.ContainerImage is null) c.Required("spec.containerimage", "Add containerimage (\"\" unless imagetype is docker or containerd).");
        if (spec.Checksum is null) c.Required("spec.checksum", "Add checksum (\"\" for config and rollback).");
        if (spec.FlagSafe is null) c.Required("spec.flagSafe", "Add flagSafe: false (true only to allow a plain-http imageurl).");
        if (spec.Mtls is null) c.Required("spec.mtls", "Add mtls: false (true to present a client certificate).");
        if (spec.MaxUnavailable is null) c.Required("spec.maxunavailable", "Add maxunavailable: how many nodes may be in an operation at once.");
        if (spec.EvictPodForce is null) c.Required("spec.evictpodforce", "Add evictpodforce: false (true to evict pods that block a drain).");
    }

    private static void CheckEnums(OSSpec spec, ProblemCollector c)
    {
        if (spec.OpsType is { } ops && !WellKnown.OpsTypes.All.Contains(ops))
            c.Error("spec.opstype", $"must be one of upgrade, config, rollback, got {ProblemCollector.Quote(ops)}",
                "Use upgrade, config or rollback.", ErrorIds.InvalidEnumValue);
        if (spec.ImageType is { Length: > 0 } type && !WellKnown.ImageTypes.All.Contains(type))
            c.Error("spec.imagetype", $"must be one of docker, containerd, disk, got {ProblemCollector.Quote(type)}",
                "Use disk for an image URL, docker or containerd for a container image.", ErrorIds.InvalidEnumValue);
        if (spec.ExecutionMode is { } mode && !WellKnown.ExecutionModes.All.Contains(mode))
            c.Error("spec.executionmode", $"must be serial or parallel, got {ProblemCollector.Quote(mode)}",
                "Use parallel (the default) or serial.", ErrorIds.InvalidEnumValue);
    }

    private static void CheckUpgrade(OSSpec spec, ProblemCollector c)
    {
        var type = spec.ImageType;
        if (type == "")
            c.Error("spec.imagetype", "must be docker, containerd or disk when opstype is upgrade, got \"\"",
                "Say where the new image comes from: disk (imageurl), docker or containerd (containerimage).", ErrorIds.ImageTypeRequired);

        if (type is WellKnown.ImageTypes.Disk or WellKnown.ImageTypes.Docker or WellKnown.ImageTypes.Containerd && spec.Checksum == "")
            c.Error("spec.checksum", $"is required when opstype is upgrade and imagetype is {type}",
                "Give the sha256 of the image (disk) or its digest without \"sha256:\" (docker/containerd); the agent verifies it.", ErrorIds.ChecksumRequired);

        if (type is WellKnown.ImageTypes.Docker or WellKnown.ImageTypes.Containerd && spec.ContainerImage == "")
            c.Error("spec.containerimage", $"is required when opstype is upgrade and imagetype is {type}",
                "Give the image that holds /os.tar, e.g. registry.example.com/kubeos/upgrade:1.0.3.", ErrorIds.ContainerImageRequired);

        if (type == Disk) CheckImageUrl(spec, c);
    }

    private static void CheckImageUrl(OSSpec spec, ProblemCollector c)
    {
        var url = spec.ImageUrl;
        if (url is null) return;
        if (url.Length == 0)
        {
            c.Error("spec.imageurl", "is required when opstype is upgrade and imagetype is disk",
                "Give the https:// URL of the rootfs tar built by kbimg.", ErrorIds.ImageUrlRequired);
            return;
        }
        var https = url.StartsWith("https://", StringComparison.Ordinal);
        var http = url.StartsWith("http://", StringComparison.Ordinal);
        if (!https && !http)
            c.Error("spec.imageurl", $"must start with https:// (or http:// with flagSafe), got {ProblemCollector.Quote(url)}",
                "Serve the image over https, or over http on a trusted network with flagSafe: true.", ErrorIds.InvalidImageUrl);
        if (http && spec.FlagSafe == false)
            c.Error("spec.imageurl", $"uses plain http while spec.flagSafe is false, got {ProblemCollector.Quote(url)}",
                "Use an https:// URL, or set flagSafe: true if the network path is trusted.", ErrorIds.InsecureImageUrl);
        if (!https) return;

        if (spec.Mtls == true)
        {
            RequireCert(spec.CaCert, "spec.cacert", "CA bundle", c);
            RequireCert(spec.ClientCert, "spec.clientcert", "client certificate", c);
            RequireCert(spec.ClientKey, "spec.clientkey", "client private key", c);
        }
        else if (string.IsNullOrEmpty(spec.CaCert))
        {
            c.Warning("spec.cacert", "is empty; the agent needs a CA bundle under /etc/KubeOS/certs for any https download",
                "Name the CA file (e.g. cacert: ca.crt) placed in /etc/KubeOS/certs on every node.", ErrorIds.CaCertRecommended);
        }
    }

    private static void RequireCert(string? value, string path, string what, ProblemCollector c)
    {
        if (string.IsNullOrEmpty(value))
            c.Error(path, "is required when mtls is true and imageurl is https",
                $"Name the {what} file placed in /etc/KubeOS/certs on every node.", ErrorIds.MissingCertificate);
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Checksum();

    // Same expression as the CRD's pattern (KubeOS agent's image-name rule, ASCII only).
    [GeneratedRegex("^([A-Za-z0-9_.-]+(:[0-9]+)?/)*[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+|@sha256:[a-fA-F0-9]+)?$")]
    private static partial Regex ContainerImage();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
