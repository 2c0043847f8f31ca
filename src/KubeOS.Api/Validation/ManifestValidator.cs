using System.Text.Json;
using System.Text.RegularExpressions;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Validation;

/// <summary>
/// Checks OS and OSInstance objects against everything the CRDs enforce and against KubeOS's run-time rules, and
/// reports every problem at once with its field path, the bad value and a fix.
/// </summary>
public static partial class ManifestValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(OS os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var c = new ProblemCollector();
        CheckMetadata(os, c);
        if (os.Spec is null) c.Required("spec", "Add a spec with at least osversion, opstype, imagetype and maxunavailable.");
        else
        {
            OSRules.Check(os.Spec, c);
            UnknownFields(os.Spec.ExtensionData, "spec", c);
            UnknownFields(os.Spec.TimeWindow?.ExtensionData, "spec.timewindow", c);
            UnknownFields(os.Spec.Prestage?.ExtensionData, "spec.prestage", c);
            UnknownFields(os.Spec.HealthGate?.ExtensionData, "spec.healthgate", c);
            UnknownFields(os.Spec.HealthGate?.HttpProbe?.ExtensionData, "spec.healthgate.httpprobe", c);
            UnknownFields(os.Spec.TopologyLimit?.ExtensionData, "spec.topologylimit", c);
            for (var i = 0; os.Spec.Stages is not null && i < os.Spec.Stages.Count; i++)
                UnknownFields(os.Spec.Stages[i]?.ExtensionData, $"spec.stages[{i}]", c);
            UnknownFields(os.Spec.Drain?.ExtensionData, "spec.drain", c);
            UnknownFields(os.Spec.Drain?.Escalation?.ExtensionData, "spec.drain.escalation", c);
            UnknownConfigFields(os.Spec.SysConfigs, "spec.sysconfigs", c);
            UnknownConfigFields(os.Spec.UpgradeConfigs, "spec.upgradeconfigs", c);
        }
        return c.Problems;
    }

    public static IReadOnlyList<ValidationProblem> Validate(OSInstance osi)
    {
        ArgumentNullException.ThrowIfNull(osi);
        var c = new ProblemCollector();
        CheckMetadata(osi, c);
        if (osi.Spec is { } spec)
        {
            if (spec.NodeStatus is { } status && !WellKnown.NodeStatuses.All.Contains(status))
                c.Error("spec.nodestatus", $"must be one of idle, upgrade, config, rollback, got {ProblemCollector.Quote(status)}",
                    "Use idle; the operator sets upgrade or config when it assigns an operation.", ErrorIds.InvalidNodeStatus);
            ConfigRules.Check(spec.SysConfigs, "spec.sysconfigs", c);
            ConfigRules.Check(spec.UpgradeConfigs, "spec.upgradeconfigs", c);
            UnknownFields(spec.ExtensionData, "spec", c);
            UnknownFields(spec.NamespacedName?.ExtensionData, "spec.namespacedname", c);
            UnknownConfigFields(spec.SysConfigs, "spec.sysconfigs", c);
            UnknownConfigFields(spec.UpgradeConfigs, "spec.upgradeconfigs", c);
        }
        if (osi.Status is { } st)
        {
            ConfigRules.Check(st.SysConfigs, "status.sysconfigs", c);
            ConfigRules.Check(st.UpgradeConfigs, "status.upgradeconfigs", c);
            UnknownFields(st.ExtensionData, "status", c);
            NodeStatusRules.Check(st, c);
            UnknownFields(st.Operation?.ExtensionData, "status.operation", c);
            UnknownFields(st.Operation?.OS?.ExtensionData, "status.operation.os", c);
            for (var i = 0; st.History is not null && i < st.History.Count; i++)
                UnknownFields(st.History[i]?.ExtensionData, $"status.history[{i}]", c);
            for (var i = 0; st.Conditions is not null && i < st.Conditions.Count; i++)
                UnknownFields(st.Conditions[i]?.ExtensionData, $"status.conditions[{i}]", c);
        }
        return c.Problems;
    }

    /// <summary>Load problems of the document followed by the rules for the object it holds, each with its source line.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(ManifestDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var loadErrors = doc.Problems.Where(p => p.IsError).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        IEnumerable<ValidationProblem> semantic = doc.Object switch
        {
            OS os => Validate(os),
            OSInstance osi => Validate(osi),
            _ => [],
        };
        // A value of the wrong type was dropped while binding; do not report it a second time as missing.
        semantic = semantic.Where(p => !(p.ErrorId == ErrorIds.RequiredFieldMissing && loadErrors.Contains(p.Path)));
        return doc.Problems.Concat(semantic)
            .Select(p => p.Line is null && doc.LineOf(p.Path) is { } line ? p with { Line = line } : p)
            .ToList();
    }

    private static void CheckMetadata(KubeObject obj, ProblemCollector c)
    {
        var meta = obj.Metadata;
        if (meta?.Name is null)
        {
            if (meta?.GenerateName is null)
                c.Required("metadata.name", "Give the object a name.");
        }
        else if (meta.Name.Length > 253 || !DnsSubdomain().IsMatch(meta.Name))
            c.Error("metadata.name", $"must be a lowercase DNS name (letters, digits, '-' and '.', at most 253), got {ProblemCollector.Quote(meta.Name)}",
                "Use lowercase letters, digits and '-', starting and ending with a letter or digit.", ErrorIds.InvalidName);
        UnknownFields(obj.ExtensionData, "", c);
    }

    private static void UnknownConfigFields(SysConfigs? configs, string path, ProblemCollector c)
    {
        if (configs is null) return;
        UnknownFields(configs.ExtensionData, path, c);
        for (var i = 0; configs.Configs is not null && i < configs.Configs.Count; i++)
        {
            var config = configs.Configs[i];
            if (config is null) continue;
            UnknownFields(config.ExtensionData, $"{path}.configs[{i}]", c);
            for (var j = 0; config.Contents is not null && j < config.Contents.Count; j++)
                UnknownFields(config.Contents[j]?.ExtensionData, $"{path}.configs[{i}].contents[{j}]", c);
        }
    }

    private static void UnknownFields(Dictionary<string, JsonElement>? extension, string path, ProblemCollector c)
    {
        if (extension is null) return;
        foreach (var name in extension.Keys)
        {
            var field = FieldPath.Child(path, name);
            c.Warning(field, "is not a field of this API version; the API server drops it",
                "Check the spelling (KubeOS field names are lower case, except flagSafe).", ErrorIds.UnknownField);
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
