using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>kernel.sysctl: writes values under /proc/sys now; they last until the next reboot.</summary>
public sealed class SysctlRuntimeModel(string procSysRoot) : ISettingsModel
{
    public string Name => "kernel.sysctl";

    public Task<SettingsPlan> PlanAsync(SysConfig config, CancellationToken cancellationToken)
    {
        var writes = new List<(string Path, string Value)>();
        var changes = new List<string>();
        var warnings = new List<string>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = PathOf(key);
            if (SettingsValues.Operation(Name, key, info) == SettingsValues.Op.Delete)
            {
                warnings.Add($"key '{key}': delete is not possible for a runtime sysctl; set the value wanted instead");
                continue;
            }
            var value = SettingsValues.NonEmptyScalar(Name, key, info.Value);
            if (!File.Exists(path))
                throw new SettingsException($"{Name}: '{key}' is not a sysctl of this kernel ({path} does not exist)");
            var current = File.ReadAllText(path).Trim();
            if (Normalize(current) == Normalize(value))
                continue;
            writes.Add((path, value));
            changes.Add($"{key}={value} (was {current})");
        }
        return Task.FromResult(new SettingsPlan(changes, warnings, async () =>
        {
            foreach (var (path, value) in writes)
                await File.WriteAllTextAsync(path, value + "\n").ConfigureAwait(false);
        }));
    }

    /// <summary>Accepts net.ipv4.ip_forward and net/ipv4/ip_forward, like sysctl(8).</summary>
    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Contains('=') || key.Any(char.IsWhiteSpace))
            throw new SettingsException($"{Name}: key '{key}' is not a sysctl name (no '=', no spaces)");
        var relative = key.Contains('/') ? key.Trim('/') : key.Replace('.', '/');
        if (relative.Split('/').Any(s => s is "" or "." or ".."))
            throw new SettingsException($"{Name}: key '{key}' is not a sysctl name");
        return Path.Combine(procSysRoot, relative);
    }

    // Multi-value sysctls print tab-separated (e.g. "4096\t87380\t6291456") but are written with spaces.
    private static string Normalize(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
