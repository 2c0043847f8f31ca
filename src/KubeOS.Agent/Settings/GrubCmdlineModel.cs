using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>
/// grub.cmdline.current / grub.cmdline.next: kernel arguments on a boot entry's linux line in grub.cfg. The first
/// linux line with root= belongs to entry A, the second to B; current is the running root's entry, next the other.
/// </summary>
public sealed class GrubCmdlineModel(string name, string grubCfgPath, Func<CancellationToken, Task<string>> activePartitionName, bool current)
    : ISettingsModel
{
    public string Name => name;

    public async Task<SettingsPlan> PlanAsync(SysConfig config, CancellationToken cancellationToken)
    {
        if (!File.Exists(grubCfgPath))
            throw new SettingsException($"{Name}: {grubCfgPath} does not exist");
        var active = await activePartitionName(cancellationToken).ConfigureAwait(false);
        var entry = current ? active : (active == "A" ? "B" : "A");
        var lines = (await File.ReadAllLinesAsync(grubCfgPath, cancellationToken).ConfigureAwait(false)).ToList();
        var linuxLines = lines.Select((line, i) => (line, i)).Where(x => IsLinuxLine(x.line)).Select(x => x.i).ToList();
        var ordinal = entry == "A" ? 0 : 1;
        if (linuxLines.Count <= ordinal)
            throw new SettingsException($"{Name}: {grubCfgPath} has no linux line with root= for entry {entry}");
        var at = linuxLines[ordinal];
        var indent = lines[at][..(lines[at].Length - lines[at].TrimStart().Length)];
        var tokens = lines[at].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();

        var changes = new List<string>();
        var warnings = new List<string>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0 || key.Contains('=') || key.Any(char.IsWhiteSpace))
                throw new SettingsException($"{Name}: key '{key}' is not a kernel argument name (non-empty, no '=', no spaces)");
            var value = SettingsValues.Scalar(Name, key, info.Value);
            if (value.Any(char.IsWhiteSpace))
                throw new SettingsException($"{Name}: the value of '{key}' must not contain spaces");
            var wanted = value.Length == 0 ? key : $"{key}={value}";
            // Skip "linux" and the kernel path.
            var found = tokens.FindIndex(2, t => t == key || t.StartsWith(key + "=", StringComparison.Ordinal));
            if (SettingsValues.Operation(Name, key, info) == SettingsValues.Op.Delete)
            {
                if (found < 0)
                    continue;
                if (tokens[found] != wanted)
                {
                    warnings.Add($"kept '{tokens[found]}' on entry {entry}: delete asked for '{wanted}'");
                    continue;
                }
                changes.Add($"entry {entry}: removed {tokens[found]}");
                tokens.RemoveAt(found);
            }
            else if (found < 0)
            {
                tokens.Add(wanted);
                changes.Add($"entry {entry}: added {wanted}");
            }
            else if (tokens[found] != wanted)
            {
                changes.Add($"entry {entry}: {wanted} (was {tokens[found]})");
                tokens[found] = wanted;
            }
        }
        if (changes.Count == 0)
            return SettingsPlan.Nothing(warnings);
        lines[at] = indent + string.Join(' ', tokens);
        var content = string.Concat(lines.Select(l => l + "\n"));
        return new SettingsPlan(changes, warnings, () => SettingsValues.WriteFileAsync(grubCfgPath, content));
    }

    /// <summary>A boot entry's kernel line: the first such line is entry A's, the second B's.</summary>
    internal static bool IsLinuxLine(string line)
    {
        var trimmed = line.TrimStart();
        return (trimmed.StartsWith("linux ", StringComparison.Ordinal) || trimmed.StartsWith("linuxefi ", StringComparison.Ordinal)
                || trimmed.StartsWith("linux\t", StringComparison.Ordinal))
               && trimmed.Contains(" root=", StringComparison.Ordinal);
    }
}
