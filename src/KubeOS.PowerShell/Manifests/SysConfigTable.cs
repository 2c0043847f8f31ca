using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell;

/// <summary>
/// Reads -SysConfig/-UpgradeConfig hashtables: <c>@{ 'kernel.sysctl' = @{ 'vm.swappiness' = '10' } }</c>, one entry per
/// model, each holding key/value pairs. A value written as <c>@{ operation = 'delete' }</c> (optionally with
/// <c>value</c>) sets the operation. Use <c>[ordered]@{}</c> when the order of models matters; a plain hashtable
/// is written in name order so the output is stable.
/// </summary>
internal static class SysConfigTable
{
    public static SysConfigs? ToSysConfigs(IDictionary? table, string? version, string parameterName)
    {
        if (table is null && string.IsNullOrEmpty(version))
        {
            return null;
        }
        var configs = table is null ? null : Entries(table).Select(model => new SysConfig
        {
            Model = model.Key,
            Contents = model.Value is IDictionary contents
                ? Entries(contents).Select(c => ToContent(c.Key, c.Value)).ToList()
                : throw new KubeOSParameterException(
                    $"-{parameterName}: the value for model '{model.Key}' must be a hashtable of settings, not '{model.Value}'.",
                    CmdletErrorIds.InvalidSettings)
                {
                    RecommendedAction = $"Write -{parameterName} as @{{ '{model.Key}' = @{{ 'key' = 'value' }} }}.",
                },
        }).ToList();
        return new SysConfigs { Version = version ?? "", Configs = configs };
    }

    private static Content ToContent(string key, object? value)
    {
        if (value is IDictionary spec && spec.Contains("operation") && spec.Keys.Cast<object>().All(k => k is "value" or "operation" or "Value" or "Operation"))
        {
            var operation = Unwrap(spec["operation"])?.ToString();
            return spec.Contains("value") ? Content.Of(key, ToJson(spec["value"]), operation) : new Content { Key = key, Operation = operation };
        }
        return Content.Of(key, ToJson(value));
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary table)
    {
        var entries = table.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(Unwrap(k)?.ToString() ?? "", table[k]));
        return table is Hashtable ? entries.OrderBy(e => e.Key, StringComparer.Ordinal) : entries;
    }

    /// <summary>A PowerShell value as JSON: scalars stay scalars, hashtables become objects, lists become arrays.</summary>
    private static JsonElement ToJson(object? value)
    {
        var node = ToNode(value);
        return JsonDocument.Parse(node?.ToJsonString() ?? "null").RootElement.Clone();
    }

    private static JsonNode? ToNode(object? value) => Unwrap(value) switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        IDictionary map => new JsonObject(Entries(map).Select(e => new KeyValuePair<string, JsonNode?>(e.Key, ToNode(e.Value)))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        var other => JsonValue.Create(other.ToString()),
    };

    private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;
}
