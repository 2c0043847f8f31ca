using System.Management.Automation;

namespace KubeOS.HelpGen;

/// <summary>Finds where a help page and the cmdlet it documents disagree, or where the page is incomplete.</summary>
public static class DriftCheck
{
    public const int MinimumExamples = 2;
    private const string ExternalHelpKey = "external help file";

    public static IEnumerable<string> Compare(CmdletInfo cmdlet, HelpDocument doc)
    {
        var expectedHelpFile = Path.GetFileName(cmdlet.ImplementingType.Assembly.Location) + "-help.xml";
        if (!doc.FrontMatter.TryGetValue(ExternalHelpKey, out var helpFile) || helpFile != expectedHelpFile)
        {
            yield return $"front matter must say '{ExternalHelpKey}: {expectedHelpFile}'";
        }
        if (!string.Equals(doc.Title, cmdlet.Name, StringComparison.Ordinal))
        {
            yield return $"the page's title is '{doc.Title}', expected '# {cmdlet.Name}'";
        }
        foreach (var section in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS" })
        {
            if (!doc.Sections.Contains(section))
            {
                yield return $"has no '## {section}' section";
            }
        }
        if (IsBlank(doc.Synopsis))
        {
            yield return "the SYNOPSIS is empty";
        }
        if (IsBlank(doc.Description))
        {
            yield return "the DESCRIPTION is empty";
        }
        if (doc.Examples.Count < MinimumExamples)
        {
            yield return $"has {doc.Examples.Count} example(s); write at least {MinimumExamples}";
        }
        foreach (var example in doc.Examples.Where(e => string.IsNullOrWhiteSpace(e.Code)))
        {
            yield return $"'{example.Title}' has no powershell code block";
        }
        if (!doc.HasCommonParameters)
        {
            yield return "has no '### CommonParameters' entry";
        }

        var live = LiveParameter.Of(cmdlet).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in live.Values.Where(p => !doc.Parameters.ContainsKey(p.Name)))
        {
            yield return $"-{parameter.Name} is not documented; add '### -{parameter.Name}' under PARAMETERS";
        }
        foreach (var documented in doc.Parameters.Values)
        {
            if (!live.TryGetValue(documented.Name, out var actual))
            {
                yield return $"documents -{documented.Name}, which the cmdlet lacks";
                continue;
            }
            if (IsBlank(documented.Description))
            {
                yield return $"-{documented.Name} has no description";
            }
            var expectedType = LiveParameter.ShortTypeName(actual.Type);
            if (documented.Metadata.TryGetValue("Type", out var docType) && docType != expectedType)
            {
                yield return $"-{documented.Name} is documented as {docType} but is {expectedType}";
            }
            if (documented.Metadata.TryGetValue("Aliases", out var docAliases))
            {
                var written = docAliases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (!written.Order().SequenceEqual(actual.Aliases.Order()))
                {
                    yield return $"-{documented.Name} is documented with aliases '{docAliases}' but has '{string.Join(", ", actual.Aliases)}'";
                }
            }
            if (documented.Metadata.TryGetValue("Accept pipeline input", out var docPipeline) && docPipeline != actual.PipelineInput)
            {
                yield return $"-{documented.Name} is documented with pipeline input '{docPipeline}' but takes '{actual.PipelineInput}'";
            }
            if (documented.Metadata.TryGetValue("Accept wildcard characters", out var docGlobbing)
                && !string.Equals(docGlobbing, actual.Globbing.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                yield return $"-{documented.Name} is documented with wildcards '{docGlobbing}' but the cmdlet says '{actual.Globbing}'";
            }
        }
    }

    private static bool IsBlank(List<string> paragraphs) =>
        paragraphs.Count == 0 || paragraphs.All(p => string.IsNullOrWhiteSpace(p) || p.Contains("{{", StringComparison.Ordinal));
}
