using System.Collections;
using System.Globalization;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Infrastructure;
using KubeOS.PowerShell.Rollouts;

namespace KubeOS.PowerShell.Plans;

/// <summary>
/// Turns the rollout-shape and drain parameters of Start-KubeOSUpgrade into spec fields, keeping what the OS object
/// already has for each one not given. Bad values stop with InvalidRolloutParameter naming the parameter.
/// </summary>
internal static class RolloutShapeParameters
{
    public static IntOrPercent MaxUnavailable(string value, string parameter) =>
        IntOrPercent.TryParse(value) ?? throw Bad(parameter, $"'{value}' is neither a number of nodes nor a percentage",
            $"Write -{parameter} as a number of nodes (2) or a percentage of the selected nodes ('25%').");

    /// <summary>The same, stopping the cmdlet with InvalidRolloutParameter (nothing written) when the value is neither.</summary>
    public static IntOrPercent MaxUnavailable(System.Management.Automation.Cmdlet cmdlet, string value, string parameter)
    {
        try
        {
            return MaxUnavailable(value, parameter);
        }
        catch (KubeOSParameterException ex)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, value));
            throw; // not reached
        }
    }

    /// <summary>-Stage 1, '10%' or -Stage @{ nodes = 1; bake = 600 }, @{ percent = '10%' }; -StageBake is the bake of stages that name none.</summary>
    public static List<RolloutStage> Stages(object[] stages, int? bake)
    {
        var result = new List<RolloutStage>();
        foreach (var item in stages.Select(s => s is System.Management.Automation.PSObject p ? p.BaseObject : s))
        {
            var stage = item switch
            {
                IDictionary table => FromTable(table),
                _ => FromText(Convert.ToString(item, CultureInfo.InvariantCulture) ?? ""),
            };
            stage.Bake ??= bake;
            result.Add(stage);
        }
        return result;
    }

    private static RolloutStage FromText(string text)
    {
        var parsed = IntOrPercent.TryParse(text) ?? throw Bad("Stage", $"'{text}' is neither a number of nodes nor a percentage",
            "Write each stage as a number of nodes (1), a percentage ('10%') or @{ nodes = 1; bake = 600 }.");
        return parsed.IsPercent ? new RolloutStage { Percent = parsed.ToString() } : new RolloutStage { Nodes = parsed.Count };
    }

    private static RolloutStage FromTable(IDictionary table)
    {
        var stage = new RolloutStage();
        foreach (DictionaryEntry entry in table)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.ToLowerInvariant();
            var value = entry.Value is System.Management.Automation.PSObject p ? p.BaseObject : entry.Value;
            switch (key)
            {
                case "nodes": stage.Nodes = Convert.ToInt32(value, CultureInfo.InvariantCulture); break;
                case "percent": stage.Percent = Convert.ToString(value, CultureInfo.InvariantCulture) is { } s && !s.EndsWith('%') ? s + "%" : Convert.ToString(value, CultureInfo.InvariantCulture); break;
                case "bake": stage.Bake = Convert.ToInt32(value, CultureInfo.InvariantCulture); break;
                default:
                    throw Bad("Stage", $"a stage has no key '{entry.Key}'", "Use the keys nodes, percent and bake, e.g. @{ percent = '10%'; bake = 300 }.");
            }
        }
        return stage;
    }

    private static KubeOSParameterException Bad(string parameter, string what, string fix) =>
        new($"-{parameter}: {what}.", RolloutErrorIds.InvalidRolloutParameter) { RecommendedAction = fix };
}
