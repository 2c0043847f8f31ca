using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace KubeOS.Agent.Settings;

/// <summary>
/// container.containerd: edits containerd's TOML config (default /etc/containerd/config.toml) through Tomlyn's
/// TomlTable model. Values are replaced, arrays appended to, missing tables created, delete removes the key.
/// </summary>
public sealed class ContainerdConfigModel : ISettingsModel
{
    public const string DefaultPath = "/etc/containerd/config.toml";

    public string Name => "container.containerd";

    public async Task<SettingsPlan> PlanAsync(Api.Agent.SysConfig config, CancellationToken cancellationToken)
    {
        var path = SettingsValues.ConfigPath(config, DefaultPath);
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        TomlTable root;
        try
        {
            root = string.IsNullOrWhiteSpace(text) ? new TomlTable() : TomlSerializer.Deserialize(text, ContainerdTomlContext.Default.TomlTable)!;
        }
        catch (TomlException e)
        {
            throw new SettingsException($"{Name}: {path} is not valid TOML: {e.Message}");
        }
        var before = Render(root);
        var changes = new List<string>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var segments = DottedKey.Split(Name, key);
            var op = SettingsValues.Operation(Name, key, info);
            var table = Walk(root, segments, key, create: op == SettingsValues.Op.Set);
            if (op == SettingsValues.Op.Delete)
            {
                if (table is not null && table.Remove(segments[^1]))
                    changes.Add($"{path}: removed {key}");
                continue;
            }
            var value = ToToml(key, info.Value);
            if (table!.TryGetValue(segments[^1], out var existing) && existing is TomlArray list && value is TomlArray additions)
            {
                foreach (var item in additions)
                    list.Add(item);
                changes.Add($"{path}: appended {additions.Count} item(s) to {key}");
                continue;
            }
            table[segments[^1]] = value;
            changes.Add($"{path}: {key}={info.Value.GetRawText()}");
        }
        var after = Render(root);
        if (after == before)
            return SettingsPlan.Nothing([]);
        return new SettingsPlan(changes, [], () => SettingsValues.WriteFileAsync(path, after));
    }

    private TomlTable? Walk(TomlTable root, IReadOnlyList<string> segments, string key, bool create)
    {
        var table = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (table.TryGetValue(segments[i], out var child))
            {
                table = child as TomlTable
                        ?? throw new SettingsException($"{Name}: key '{key}': '{string.Join('.', segments.Take(i + 1))}' is not a table");
            }
            else if (create)
            {
                var created = new TomlTable();
                table[segments[i]] = created;
                table = created;
            }
            else
            {
                return null;
            }
        }
        return table;
    }

    private object ToToml(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => ToArray(key, value),
        JsonValueKind.Object => ToTable(key, value),
        _ => throw new SettingsException($"{Name}: key '{key}' has a null value; TOML has no null — use delete to remove a key"),
    };

    private TomlArray ToArray(string key, JsonElement value)
    {
        var array = new TomlArray();
        foreach (var item in value.EnumerateArray())
            array.Add(ToToml(key, item));
        return array;
    }

    private TomlTable ToTable(string key, JsonElement value)
    {
        var table = new TomlTable();
        foreach (var property in value.EnumerateObject())
            table[property.Name] = ToToml(key, property.Value);
        return table;
    }

    private static string Render(TomlTable table) => TomlSerializer.Serialize(table, ContainerdTomlContext.Default.TomlTable);
}

[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ContainerdTomlContext : TomlSerializerContext
{
}
