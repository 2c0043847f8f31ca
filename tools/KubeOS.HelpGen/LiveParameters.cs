using System.Management.Automation;

namespace KubeOS.HelpGen;

/// <summary>A cmdlet parameter as the engine sees it, merged over all the parameter sets it belongs to.</summary>
public sealed record LiveParameter(
    string Name, Type Type, bool Required, string Position, bool ByValue, bool ByPropertyName,
    IReadOnlyList<string> Aliases, bool Globbing, IReadOnlyList<string> Sets, IReadOnlyList<string> ValidValues)
{
    public bool IsSwitch => Type == typeof(SwitchParameter);

    /// <summary>PlatyPS's wording for the "Accept pipeline input" line and MAML's pipelineInput attribute.</summary>
    public string PipelineInput => (ByValue, ByPropertyName) switch
    {
        (true, true) => "True (ByPropertyName, ByValue)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    /// <summary>Every parameter a user can see, except the common ones every cmdlet has (-Verbose, -ErrorAction, ...).
    /// -WhatIf and -Confirm are kept: PlatyPS documents them on each cmdlet.</summary>
    public static List<LiveParameter> Of(CmdletInfo cmdlet) =>
        cmdlet.ParameterSets
            .SelectMany(set => set.Parameters.Select(p => (Set: set.Name, Param: p)))
            .Where(x => !Cmdlet.CommonParameters.Contains(x.Param.Name))
            .GroupBy(x => x.Param.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var first = g.First().Param;
                var positions = g.Select(x => x.Param.Position).Distinct().ToList();
                return new LiveParameter(
                    first.Name,
                    first.ParameterType,
                    g.All(x => x.Param.IsMandatory),
                    positions.Count == 1 && positions[0] >= 0 ? positions[0].ToString() : "Named",
                    g.Any(x => x.Param.ValueFromPipeline),
                    g.Any(x => x.Param.ValueFromPipelineByPropertyName),
                    first.Aliases.ToList(),
                    first.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
                    g.Select(x => x.Set).ToList(),
                    first.Attributes.OfType<ValidateSetAttribute>().SelectMany(v => v.ValidValues).ToList());
            })
            .ToList();

    /// <summary>How PlatyPS names a type in the yaml block: the short name, with [] for arrays.</summary>
    public static string ShortTypeName(Type type) => type.Name;
}
