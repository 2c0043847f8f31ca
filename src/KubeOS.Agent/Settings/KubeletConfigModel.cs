using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeOS.Agent.Settings;

/// <summary>
/// kubernetes.kubelet: edits the kubelet's YAML config (default /var/lib/kubelet/config.yaml) through YamlDotNet's
/// representation model (no reflection, so it works under NativeAOT). Maps and scalars are replaced, arrays appended
/// to, missing maps created, delete removes the key.
/// </summary>
public sealed class KubeletConfigModel : ISettingsModel
{
    public const string DefaultPath = "/var/lib/kubelet/config.yaml";

    public string Name => "kubernetes.kubelet";

    public async Task<SettingsPlan> PlanAsync(Api.Agent.SysConfig config, CancellationToken cancellationToken)
    {
        var path = SettingsValues.ConfigPath(config, DefaultPath);
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        var root = Load(path, text);
        var before = Render(root);
        var changes = new List<string>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var segments = DottedKey.Split(Name, key);
            var op = SettingsValues.Operation(Name, key, info);
            var parent = Walk(root, segments, key, create: op == SettingsValues.Op.Set);
            var leaf = new YamlScalarNode(segments[^1]);
            if (op == SettingsValues.Op.Delete)
            {
                if (parent is not null && parent.Children.Remove(leaf))
                    changes.Add($"{path}: removed {key}");
                continue;
            }
            var value = ToYaml(key, info.Value);
            var previous = parent!.Children.TryGetValue(leaf, out var existing) ? existing : null;
            if (previous is YamlSequenceNode list && value is YamlSequenceNode additions)
            {
                foreach (var item in additions)
                    list.Add(item);
                changes.Add($"{path}: appended {additions.Children.Count} item(s) to {key}");
                continue;
            }
            parent.Children[leaf] = value;
            if (previous is null || Render(previous) != Render(value))
                changes.Add($"{path}: {key}={info.Value.GetRawText()}");

        }
        var after = Render(root);
        if (after == before)
            return SettingsPlan.Nothing([]);
        return new SettingsPlan(changes, [], () => SettingsValues.WriteFileAsync(path, after));
    }

    private YamlMappingNode Load(string path, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new YamlMappingNode();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SettingsException($"{Name}: {path} is not valid YAML ({e.Start}): {e.Message}");
        }
        if (stream.Documents.Count == 0)
            return new YamlMappingNode();
        return stream.Documents[0].RootNode as YamlMappingNode
               ?? throw new SettingsException($"{Name}: {path} must hold a YAML mapping at the top");
    }

    private YamlMappingNode? Walk(YamlMappingNode root, IReadOnlyList<string> segments, string key, bool create)
    {
        var node = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var name = new YamlScalarNode(segments[i]);
            if (node.Children.TryGetValue(name, out var child))
            {
                node = child as YamlMappingNode
                       ?? throw new SettingsException($"{Name}: key '{key}': '{string.Join('.', segments.Take(i + 1))}' is not a map");
            }
            else if (create)
            {
                var created = new YamlMappingNode();
                node.Children[name] = created;
                node = created;
            }
            else
            {
                return null;
            }
        }
        return node;
    }

    private YamlNode ToYaml(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(value.EnumerateObject().Select(p =>
            new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Name), ToYaml(key, p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(value.EnumerateArray().Select(v => ToYaml(key, v))),
        JsonValueKind.String => StringScalar(value.GetString()!),
        JsonValueKind.Number => new YamlScalarNode(value.GetRawText()),
        JsonValueKind.True => new YamlScalarNode("true"),
        JsonValueKind.False => new YamlScalarNode("false"),
        JsonValueKind.Null => new YamlScalarNode("null"),
        _ => throw new SettingsException($"{Name}: key '{key}' has no value"),
    };

    /// <summary>Quotes strings that YAML would otherwise read as another type ("true", "10", "").</summary>
    private static YamlScalarNode StringScalar(string text)
    {
        var ambiguous = text.Length == 0 || text is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off"
                        || double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
        return new YamlScalarNode(text) { Style = ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
    }

    private static string Render(YamlNode node)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker that kubelet does not need.
        if (text.EndsWith("...\n", StringComparison.Ordinal))
            text = text[..^4];
        else if (text.EndsWith("...\r\n", StringComparison.Ordinal))
            text = text[..^5];
        return text;
    }
}
