using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>
/// kernel.sysctl.persist: edits a sysctl.conf-style file (default /etc/sysctl.conf). Existing keys are changed in
/// place, new keys appended; comments, blank lines and untouched lines are kept as they were.
/// </summary>
public sealed class SysctlPersistModel : ISettingsModel
{
    public const string DefaultPath = "/etc/sysctl.conf";

    public string Name => "kernel.sysctl.persist";

    public async Task<SettingsPlan> PlanAsync(SysConfig config, CancellationToken cancellationToken)
    {
        var path = SettingsValues.ConfigPath(config, DefaultPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new SettingsException($"{Name}: directory {dir} of config_path does not exist");
        var lines = File.Exists(path) ? (await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false)).ToList() : [];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var parsed = Parse(lines[i]);
            if (parsed is null)
                continue;
            if (parsed.Value.Key.Length == 0)
                throw new SettingsException($"{Name}: {path} line {i + 1} '{lines[i]}' is not 'key = value', a comment or blank; fix the file first");
            index[parsed.Value.Key] = i;
        }

        var changes = new List<string>();
        var warnings = new List<string>();
        var removed = new HashSet<int>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0 || key.Contains('=') || key.Any(char.IsWhiteSpace))
                throw new SettingsException($"{Name}: key '{key}' is not a sysctl name (non-empty, no '=', no spaces)");
            var op = SettingsValues.Operation(Name, key, info);
            var value = op == SettingsValues.Op.Delete ? SettingsValues.Scalar(Name, key, info.Value) : SettingsValues.NonEmptyScalar(Name, key, info.Value);
            var existing = index.TryGetValue(key, out var at) ? Parse(lines[at])!.Value.Value : null;
            if (op == SettingsValues.Op.Delete)
            {
                if (existing is null)
                    continue;
                if (value.Length > 0 && existing != value)
                {
                    warnings.Add($"kept {key}={existing}: delete asked for value '{value}'");
                    continue;
                }
                removed.Add(at);
                changes.Add($"{path}: removed {key}={existing}");
            }
            else if (existing is null)
            {
                lines.Add($"{key}={value}");
                index[key] = lines.Count - 1;
                changes.Add($"{path}: added {key}={value}");
            }
            else if (existing != value)
            {
                lines[at] = $"{key}={value}";
                changes.Add($"{path}: {key}={value} (was {existing})");
            }
        }
        if (changes.Count == 0)
            return SettingsPlan.Nothing(warnings);
        var content = string.Concat(lines.Where((_, i) => !removed.Contains(i)).Select(l => l + "\n"));
        return new SettingsPlan(changes, warnings, () => SettingsValues.WriteFileAsync(path, content));
    }

    /// <summary>null for comments and blank lines; an empty key for a line that is neither nor key=value.</summary>
    private static (string Key, string Value)? Parse(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            return null;
        var eq = trimmed.IndexOf('=');
        if (eq <= 0)
            return ("", "");
        return (trimmed[..eq].Trim(), trimmed[(eq + 1)..].Trim());
    }
}
