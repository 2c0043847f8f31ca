using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>
/// pam.limits: one line per domain in /etc/security/limits.conf ("domain type item value"). The value is
/// "type.item.value"; "_" keeps that column of the existing line. config_path is ignored, as in KubeOS.
/// </summary>
public sealed class PamLimitsModel(string limitsConfPath) : ISettingsModel
{
    public string Name => "pam.limits";

    public async Task<SettingsPlan> PlanAsync(SysConfig config, CancellationToken cancellationToken)
    {
        if (!File.Exists(limitsConfPath))
            throw new SettingsException($"{Name}: {limitsConfPath} does not exist");
        var lines = (await File.ReadAllLinesAsync(limitsConfPath, cancellationToken).ConfigureAwait(false)).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var fields = Fields(lines[i]);
            if (fields is null)
                continue;
            if (fields.Length != 4)
                throw new SettingsException($"{Name}: {limitsConfPath} line {i + 1} '{lines[i]}' does not have the 4 columns domain type item value");
            index.TryAdd(fields[0], i);
        }

        var changes = new List<string>();
        var warnings = new List<string>();
        var removed = new HashSet<int>();
        foreach (var (domain, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (domain.Length == 0 || domain.Any(char.IsWhiteSpace))
                throw new SettingsException($"{Name}: domain '{domain}' must be non-empty without spaces");
            var op = SettingsValues.Operation(Name, domain, info);
            var parts = SettingsValues.NonEmptyScalar(Name, domain, info.Value).Split('.');
            if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
                throw new SettingsException($"{Name}: domain '{domain}' value must be type.item.value, e.g. soft.nofile.65535");
            string[]? existing = index.TryGetValue(domain, out var at) ? Fields(lines[at]) : null;
            if (op == SettingsValues.Op.Delete)
            {
                if (existing is null)
                    continue;
                if (!existing.AsSpan(1).SequenceEqual(parts))
                {
                    warnings.Add($"kept '{lines[at]}': delete asked for {string.Join('.', parts)}");
                    continue;
                }
                removed.Add(at);
                changes.Add($"removed '{lines[at]}'");
                continue;
            }
            if (existing is null)
            {
                if (parts.Contains("_"))
                    throw new SettingsException($"{Name}: domain '{domain}' has no line to keep '_' columns from; give all of type.item.value");
                lines.Add($"{domain} {string.Join(' ', parts)}");
                index[domain] = lines.Count - 1;
                changes.Add($"added '{lines[^1]}'");
                continue;
            }
            var merged = new[] { domain, Keep(parts[0], existing[1]), Keep(parts[1], existing[2]), Keep(parts[2], existing[3]) };
            if (merged.SequenceEqual(existing))
                continue;
            var line = string.Join(' ', merged);
            changes.Add($"'{line}' (was '{lines[at]}')");
            lines[at] = line;
        }
        if (changes.Count == 0)
            return SettingsPlan.Nothing(warnings);
        var content = string.Concat(lines.Where((_, i) => !removed.Contains(i)).Select(l => l + "\n"));
        return new SettingsPlan(changes, warnings, () => SettingsValues.WriteFileAsync(limitsConfPath, content));
    }

    private static string Keep(string wanted, string current) => wanted == "_" ? current : wanted;

    private static string[]? Fields(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] == '#')
            return null;
        return trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }
}
