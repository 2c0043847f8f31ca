using System.Text.Json;
using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// configure on a simulated node: the node's settings per model, as key → value. Like os-agent, the whole request is
/// checked before anything changes, so a malformed entry anywhere changes nothing. Not thread-safe: the agent
/// serialises access.
/// </summary>
public sealed class SimulatedSettings
{
    public const string Sysctl = "kernel.sysctl";

    /// <summary>The models os-agent knows.</summary>
    public static readonly IReadOnlyList<string> Models =
    [
        Sysctl, "kernel.sysctl.persist", "grub.cmdline.current", "grub.cmdline.next", "pam.limits", "kubernetes.kubelet",
        "container.containerd",
    ];

    private readonly Dictionary<string, SortedDictionary<string, string>> _values = new(StringComparer.Ordinal);

    /// <summary>The current values of one model.</summary>
    public IReadOnlyDictionary<string, string> Of(string model) =>
        _values.TryGetValue(model, out var values) ? values : new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Applies the request and returns one line per changed key, prefixed with its model.</summary>
    public List<string> Apply(ConfigureRequest request)
    {
        var planned = request.Configs.Select(Plan).ToList();
        var changes = new List<string>();
        foreach (var (config, edits) in request.Configs.Zip(planned))
        {
            if (!_values.TryGetValue(config.Model, out var values))
                _values[config.Model] = values = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in edits)
            {
                var had = values.TryGetValue(key, out var old);
                if (value is null)
                {
                    if (values.Remove(key)) changes.Add($"{config.Model}: {key} removed (was {old})");
                    continue;
                }
                if (had && old == value) continue;
                values[key] = value;
                changes.Add($"{config.Model}: {key}={value} (was {(had ? old : "unset")})");
            }
        }
        return changes;
    }

    /// <summary>Checks one model's entries; a null value means delete.</summary>
    private static List<(string Key, string? Value)> Plan(SysConfig config, int index)
    {
        if (!Models.Contains(config.Model))
            throw new ArgumentException($"configs[{index}].model '{config.Model}' is unknown; known models: {string.Join(", ", Models)}");
        var edits = new List<(string, string?)>();
        foreach (var (key, info) in config.Contents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0 || key.Contains('=') || key.Any(char.IsWhiteSpace))
                throw new ArgumentException($"{config.Model}: key '{key}' is not a valid key (no '=', no spaces)");
            switch (info.Operation)
            {
                case ConfigOperations.Delete:
                    edits.Add((key, null));
                    break;
                case "" or ConfigOperations.Add or ConfigOperations.Update:
                    edits.Add((key, Scalar(config.Model, key, info.Value)));
                    break;
                default:
                    throw new ArgumentException($"{config.Model}: key '{key}' has operation '{info.Operation}'; use add, update, delete or leave it empty");
            }
        }
        return edits;
    }

    private static string Scalar(string model, string key, JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => throw new ArgumentException($"{model}: key '{key}' needs a string, number or boolean value, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}"),
        };
        if (text.Length == 0)
            throw new ArgumentException($"{model}: key '{key}' needs a non-empty value");
        if (text.Contains('\n'))
            throw new ArgumentException($"{model}: the value of key '{key}' must be one line");
        return text;
    }
}
