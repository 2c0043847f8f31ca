using Tomlyn.Model;

namespace KubeOS.ImageBuilder.Configuration;

/// <summary>
/// Reads typed values out of one TOML table while remembering which keys were consumed, so that every key the
/// schema does not know is reported by its full path (a misspelt key must not be silently ignored).
/// </summary>
internal sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<ConfigError> _errors;

    public TomlSection(TomlTable table, string path, List<ConfigError> errors)
    {
        _table = table;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key)
    {
        _known.Add(key);
        return _table.ContainsKey(key);
    }

    public string? String(string key, bool required = false, string? fix = null)
    {
        if (!TryGet(key, required, "a string", fix, out var value)) return null;
        if (value is string s)
        {
            if (s.Length == 0)
                Error(key, "is empty.", fix ?? $"give {KeyPath(key)} a value or remove the key.");
            return s;
        }
        TypeError(key, value, "a string");
        return null;
    }

    public bool? Bool(string key, bool required = false)
    {
        if (!TryGet(key, required, "true or false", null, out var value)) return null;
        if (value is bool b) return b;
        TypeError(key, value, "true or false");
        return null;
    }

    public int? Int(string key, int min, int max)
    {
        if (!TryGet(key, false, "an integer", null, out var value)) return null;
        if (value is long l)
        {
            if (l < min || l > max)
            {
                Error(key, $"is {l}, outside {min}..{max}.", $"set {KeyPath(key)} to a whole number from {min} to {max}.");
                return null;
            }
            return (int)l;
        }
        TypeError(key, value, "an integer");
        return null;
    }

    public IReadOnlyList<string>? StringList(string key, bool required = false, string? fix = null)
    {
        if (!TryGet(key, required, "an array of strings", fix, out var value)) return null;
        if (value is not TomlArray array)
        {
            TypeError(key, value, "an array of strings");
            return null;
        }
        var list = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is string s && s.Length > 0) list.Add(s);
            else Error($"{key}[{i}]", array[i] is string ? "is an empty string." : "is not a string.",
                $"make every element of {KeyPath(key)} a non-empty string.");
        }
        if (array.Count == 0)
            Error(key, "is an empty list.", fix ?? $"list at least one value in {KeyPath(key)} or remove the key.");
        return list;
    }

    public TomlSection? Table(string key)
    {
        if (!TryGet(key, false, "a table", null, out var value)) return null;
        if (value is TomlTable table) return new TomlSection(table, KeyPath(key), _errors);
        TypeError(key, value, $"a table ([{KeyPath(key)}])");
        return null;
    }

    public IReadOnlyList<TomlSection>? TableArray(string key)
    {
        if (!TryGet(key, false, "an array of tables", null, out var value)) return null;
        if (value is TomlTableArray tables)
            return tables.Select((t, i) => new TomlSection(t, $"{KeyPath(key)}[{i}]", _errors)).ToList();
        TypeError(key, value, $"an array of tables ([[{KeyPath(key)}]])");
        return null;
    }

    /// <summary>Reports every key of this table that no reader asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _table.Keys)
        {
            if (_known.Contains(key)) continue;
            var allowed = _known.Count == 0 ? "none" : string.Join(", ", _known.Order(StringComparer.Ordinal));
            Error(key, "is not a known key.", $"remove it or use one of: {allowed}.");
        }
    }

    public void Error(string key, string problem, string fix) => _errors.Add(new ConfigError(KeyPath(key), problem, fix));

    private bool TryGet(string key, bool required, string expected, string? fix, out object value)
    {
        _known.Add(key);
        if (_table.TryGetValue(key, out var found) && found is not null)
        {
            value = found;
            return true;
        }
        if (required) Error(key, "is missing.", fix ?? $"add {key} = <{expected}> to [{Path}].");
        value = null!;
        return false;
    }

    private void TypeError(string key, object value, string expected) =>
        Error(key, $"is {Describe(value)}, expected {expected}.", $"write {KeyPath(key)} as {expected}.");

    private static string Describe(object value) => value switch
    {
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        TomlArray => "an array",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        _ => value.GetType().Name,
    };
}
