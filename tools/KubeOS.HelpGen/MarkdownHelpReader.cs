using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KubeOS.HelpGen;

/// <summary>
/// Reads a cmdlet page in the layout PlatyPS's New-MarkdownHelp writes: front matter, "# Name", "## SECTION"
/// headings, "### Example n" / "### -Parameter" / "### TypeName" sub-headings.
/// </summary>
public static class MarkdownHelpReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static HelpDocument Read(string markdown, string sourcePath)
    {
        var doc = new HelpDocument { SourcePath = sourcePath };
        string? section = null;
        HelpExample? example = null;
        HelpParameter? parameter = null;
        HelpType? type = null;

        foreach (var block in Markdown.Parse(markdown, Pipeline))
        {
            switch (block)
            {
                case YamlFrontMatterBlock front:
                    ReadKeyValues(front.Lines.ToString(), doc.FrontMatter);
                    break;
                case HeadingBlock { Level: 1 } h1:
                    doc.Title = InlineText(h1.Inline);
                    break;
                case HeadingBlock { Level: 2 } h2:
                    section = InlineText(h2.Inline).ToUpperInvariant();
                    doc.Sections.Add(section);
                    example = null; parameter = null; type = null;
                    break;
                case HeadingBlock { Level: 3 } h3:
                    var heading = InlineText(h3.Inline);
                    switch (section)
                    {
                        case "EXAMPLES":
                            doc.Examples.Add(example = new HelpExample(heading));
                            break;
                        case "PARAMETERS" when heading.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase):
                            doc.HasCommonParameters = true;
                            parameter = null;
                            break;
                        case "PARAMETERS":
                            parameter = new HelpParameter(heading.TrimStart('-'));
                            doc.Parameters[parameter.Name] = parameter;
                            break;
                        case "INPUTS":
                            doc.Inputs.Add(type = new HelpType(heading));
                            break;
                        case "OUTPUTS":
                            doc.Outputs.Add(type = new HelpType(heading));
                            break;
                    }
                    break;
                case FencedCodeBlock code when section == "EXAMPLES" && example is not null && example.Code is null:
                    example.Code = code.Lines.ToString().TrimEnd();
                    break;
                case FencedCodeBlock code when section == "PARAMETERS" && parameter is not null:
                    ReadKeyValues(code.Lines.ToString(), parameter.Metadata);
                    break;
                default:
                    AddProse(doc, section, example, parameter, type, block, markdown);
                    break;
            }
        }
        return doc;
    }

    private static void AddProse(HelpDocument doc, string? section, HelpExample? example, HelpParameter? parameter,
        HelpType? type, Block block, string markdown)
    {
        if (section == "RELATED LINKS")
        {
            // Block.Descendants does not enter inlines, so links are looked up inside each leaf block's inlines.
            var leaves = block is LeafBlock leaf ? [leaf] : block.Descendants<LeafBlock>();
            foreach (var link in leaves.SelectMany(l => l.Inline?.Descendants<LinkInline>() ?? []))
            {
                doc.RelatedLinks.Add(new HelpLink(InlineText(link), link.Url ?? ""));
            }
            return;
        }
        // Prose keeps its markdown source (inline code, lists): Get-Help prints it as plain text, which reads well.
        var text = markdown.Substring(block.Span.Start, block.Span.Length).Trim();
        if (text.Length == 0)
        {
            return;
        }
        var target = section switch
        {
            "SYNOPSIS" => doc.Synopsis,
            "DESCRIPTION" => doc.Description,
            "NOTES" => doc.Notes,
            "EXAMPLES" => example?.Remarks,
            "PARAMETERS" => parameter?.Description,
            "INPUTS" or "OUTPUTS" => type?.Description,
            _ => null,
        };
        target?.Add(text);
    }

    private static void ReadKeyValues(string text, Dictionary<string, string> into)
    {
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && !line.TrimStart().StartsWith("---", StringComparison.Ordinal))
            {
                into[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
    }

    private static string InlineText(ContainerInline? inline) =>
        inline is null ? "" : string.Concat(inline.Descendants<LeafInline>().Select(leaf => leaf switch
        {
            LiteralInline literal => literal.Content.ToString(),
            CodeInline code => code.Content,
            LineBreakInline => " ",
            _ => "",
        })).Trim();
}
