using System.Globalization;
using System.Text.Json;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>Shared checks for settings entries.</summary>
public static class SettingsValues
{
    public enum Op { Set, Delete }

    public static Op Operation(string model, string key, KeyInfo info) => info.Operation switch
    {
        "" or ConfigOperations.Add or ConfigOperations.Update => Op.Set,
        ConfigOperations.Delete => Op.Delete,
        _ => throw new SettingsException($"{model}: key '{key}' has operation '{info.Operation}'; use add, update, delete or leave it empty"),
    };

    /// <summary>The value as text for line-based files: strings, numbers, booleans; null is empty.</summary>
    public static string Scalar(string model, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => throw new SettingsException($"{model}: key '{key}' needs a string, number or boolean value, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}"),
    };

    public static string NonEmptyScalar(string model, string key, JsonElement value)
    {
        var text = Scalar(model, key, value);
        if (text.Length == 0)
            throw new SettingsException($"{model}: key '{key}' needs a non-empty value");
        if (text.Contains('\n'))
            throw new SettingsException($"{model}: the value of key '{key}' must be one line");
        return text;
    }

    public static string ConfigPath(SysConfig config, string defaultPath) =>
        string.IsNullOrWhiteSpace(config.ConfigPath) ? defaultPath : config.ConfigPath;

    /// <summary>Writes the whole file beside the old one and renames it over, keeping the old mode.</summary>
    public static async Task WriteFileAsync(string path, string content)
    {
        var temp = path + ".kubeos-new";
        await File.WriteAllTextAsync(temp, content).ConfigureAwait(false);
        if (File.Exists(path))
            File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            stream.Flush(flushToDisk: true);
        File.Move(temp, path, overwrite: true);
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
