using System.Text.Json;
using System.Text.RegularExpressions;
using KubeOS.Api.Models;

namespace KubeOS.Api.Validation;

/// <summary>Rules for sysconfigs/upgradeconfigs: model names and what each model's agent handler can store (KubeOS §5).</summary>
internal static partial class ConfigRules
{
    // Sizes the CRD declares (they bound the cost of its CEL rules in the API server).
    private const int MaxConfigs = 64;
    private const int MaxContents = 512;

    private static readonly string ModelList = string.Join(", ", WellKnown.Models.All);

    public static void Check(SysConfigs? configs, string path, ProblemCollector c)
    {
        if (configs is null) return;
        c.MaxLength(configs.Version, path + ".version", 256);
        if (configs.Configs is null) return;
        if (configs.Configs.Count > MaxConfigs)
            c.Error(path + ".configs", $"must have at most {MaxConfigs} entries, got {configs.Configs.Count}",
                "Split the settings over several versions or merge entries of the same model.", ErrorIds.FieldTooLong);
        for (var i = 0; i < configs.Configs.Count; i++)
        {
            var configPath = $"{path}.configs[{i}]";
            var config = configs.Configs[i];
            if (config is null)
            {
                c.Error(configPath, "must be a mapping with model and contents, got null", "Remove the empty list entry.", ErrorIds.InvalidType);
                continue;
            }
            CheckConfig(config, configPath, c);
        }
    }

    private static void CheckConfig(SysConfig config, string path, ProblemCollector c)
    {
        var model = config.Model;
        if (model is null)
            c.Required(path + ".model", $"Add model: one of {ModelList}.");
        else if (!WellKnown.Models.All.Contains(model))
            c.Error(path + ".model", $"must be one of {ModelList}, got {ProblemCollector.Quote(model)}",
                "Use one of the seven KubeOS configuration models; the agent aborts the whole request on an unknown one.", ErrorIds.UnknownConfigModel);

        if (!string.IsNullOrEmpty(config.ConfigPath))
        {
            if (!config.ConfigPath.StartsWith('/'))
                c.Error(path + ".configpath", $"must be an absolute path, got {ProblemCollector.Quote(config.ConfigPath)}",
                    "Write the full path of the file on the node, starting with '/'.", ErrorIds.InvalidConfigPath);
            else if (model is not null && WellKnown.Models.All.Contains(model) &&
                     model is not (WellKnown.Models.KernelSysctlPersist or WellKnown.Models.KubernetesKubelet or WellKnown.Models.ContainerContainerd))
                c.Warning(path + ".configpath", $"is ignored by model {model}",
                    "Remove configpath; only kernel.sysctl.persist, kubernetes.kubelet and container.containerd use it.", ErrorIds.ConfigPathIgnored);
        }

        c.MaxLength(config.ConfigPath, path + ".configpath", 4096);
        if (config.Contents is null) return;
        if (config.Contents.Count > MaxContents)
            c.Error(path + ".contents", $"must have at most {MaxContents} entries, got {config.Contents.Count}",
                "Split the settings over several entries of the same model.", ErrorIds.FieldTooLong);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < config.Contents.Count; j++)
        {
            var contentPath = $"{path}.contents[{j}]";
            var content = config.Contents[j];
            if (content is null)
            {
                c.Error(contentPath, "must be a mapping with key and value, got null", "Remove the empty list entry.", ErrorIds.InvalidType);
                continue;
            }
            CheckContent(model, content, contentPath, c);
            if (content.Key is { Length: > 0 } key && !seen.Add(key))
                c.Warning(contentPath + ".key", $"repeats key {ProblemCollector.Quote(key)}; only the last entry is applied",
                    "Keep one entry per key.", ErrorIds.DuplicateConfigKey);
        }
    }

    private static void CheckContent(string? model, Content content, string path, ProblemCollector c)
    {
        var keyPath = path + ".key";
        var valuePath = path + ".value";
        if (content.Key is null) c.Required(keyPath, "Add the key this entry sets.");
        else if (content.Key.Length == 0)
            c.Error(keyPath, "must not be empty", "Give the name of the setting, e.g. kernel.pid_max.", ErrorIds.EmptyConfigKey);

        c.MaxLength(content.Key, keyPath, 1024);
        c.MaxLength(content.Operation, path + ".operation", 64);
        if (content.Operation is { Length: > 0 } op && op != WellKnown.Operations.Delete)
            c.Warning(path + ".operation", $"should be \"\" (add or update) or \"delete\", got {ProblemCollector.Quote(op)}; it is treated as add/update",
                "Remove operation to add or update, or write operation: delete.", ErrorIds.UnknownOperation);

        var key = content.Key ?? "";
        var adding = !content.IsDelete;
        switch (model)
        {
            case WellKnown.Models.KernelSysctl or WellKnown.Models.KernelSysctlPersist:
                if (key.Contains('='))
                    c.Error(keyPath, $"must not contain '=', got {ProblemCollector.Quote(key)}",
                        "Put the name in key and the setting in value.", ErrorIds.InvalidConfigKey);
                if (adding && !IsNonEmptyScalar(content))
                    c.Error(valuePath, $"must be a non-empty string, number or boolean for {model}, got {Describe(content)}",
                        "Give the value to set, e.g. value: \"65535\".", ErrorIds.InvalidConfigValue);
                if (!adding && model == WellKnown.Models.KernelSysctl)
                    c.Warning(path + ".operation", "delete is not supported by kernel.sysctl; the agent ignores it",
                        "Set the value you want instead, or use kernel.sysctl.persist to remove a persisted key.", ErrorIds.UnsupportedDelete);
                break;

            case WellKnown.Models.PamLimits:
                if (key.Contains(' '))
                    c.Error(keyPath, $"must be a limits.conf domain without spaces, got {ProblemCollector.Quote(key)}",
                        "Use a user, @group, % or * as the domain.", ErrorIds.InvalidConfigKey);
                if (content.Value.ValueKind != JsonValueKind.String || !PamValue().IsMatch(content.Value.GetString()!))
                    c.Error(valuePath, $"must be type.item.value, e.g. soft.nofile.65535, got {Describe(content)}",
                        "Write the limit as three dot-separated parts: type (soft/hard/-), item and value.", ErrorIds.InvalidPamLimitValue);
                else if (adding && content.Value.GetString()!.Split('.').Contains("_"))
                    c.Warning(valuePath, $"uses the \"_\" placeholder ({Describe(content)}), which only works when the domain already has a line in limits.conf",
                        "Give all three parts unless the domain is already configured on every node.", ErrorIds.PamLimitPlaceholder);
                break;

            case WellKnown.Models.ContainerContainerd:
                if (adding && (!content.HasValue || content.Value.ValueKind == JsonValueKind.Null ||
                               content.Value.ValueKind == JsonValueKind.String && content.Value.GetString()!.Length == 0))
                    c.Error(valuePath, $"must not be null or empty for container.containerd, got {Describe(content)}",
                        "Give the TOML value to set, or use operation: delete to remove the key.", ErrorIds.InvalidConfigValue);
                break;

            case WellKnown.Models.GrubCmdlineCurrent or WellKnown.Models.GrubCmdlineNext:
                if (key.Contains('=') || key.Contains(' '))
                    c.Error(keyPath, $"must be a single kernel argument name, got {ProblemCollector.Quote(key)}",
                        "For root=UUID=x write key: root and value: UUID=x.", ErrorIds.InvalidConfigKey);
                if (content.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                    c.Error(valuePath, $"must be a string, number or boolean, got {Describe(content)}",
                        "Write the argument's value as text; leave it empty for a bare flag.", ErrorIds.InvalidConfigValue);
                break;
        }
    }

    private static bool IsNonEmptyScalar(Content content) => content.Value.ValueKind switch
    {
        JsonValueKind.String => content.Value.GetString()!.Length > 0,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
        _ => false,
    };

    private static string Describe(Content content) => content.Value.ValueKind switch
    {
        JsonValueKind.Undefined => "no value",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a mapping",
        _ => content.Value.GetRawText(),
    };

    // Same expression as the CRD's rule.
    [GeneratedRegex(@"^[^. ]+[.][^. ]+[.][^. ]+$")]
    private static partial Regex PamValue();
}
