using System.Management.Automation;
using System.Xml.Linq;

namespace KubeOS.HelpGen;

/// <summary>Writes MAML (the XML Get-Help reads) in the shape PlatyPS's New-ExternalHelp produces.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<(CmdletInfo Cmdlet, HelpDocument Doc)> pages, string path)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            pages.Select(page => CommandElement(page.Cmdlet, page.Doc)));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
    }

    private static XElement CommandElement(CmdletInfo cmdlet, HelpDocument doc)
    {
        var parameters = LiveParameter.Of(cmdlet);
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(doc.Synopsis)),
            Description(doc.Description),
            new XElement(Command + "syntax",
                cmdlet.ParameterSets.Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    set.Parameters
                        .Select(p => parameters.FirstOrDefault(l => l.Name == p.Name))
                        .OfType<LiveParameter>()
                        .Select(p => Parameter(p, doc, set.Parameters.First(x => x.Name == p.Name)))))),
            new XElement(Command + "parameters", parameters.Select(p => Parameter(p, doc, null))),
            new XElement(Command + "inputTypes", doc.Inputs.Select(t => TypeEntry(Command + "inputType", t))),
            new XElement(Command + "returnValues", doc.Outputs.Select(t => TypeEntry(Command + "returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(doc.Notes))),
            new XElement(Command + "examples", doc.Examples.Select(e => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", Paragraphs(e.Remarks))))),
            new XElement(Command + "relatedLinks", doc.RelatedLinks.Select(l => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text),
                new XElement(Maml + "uri", l.Uri)))));
    }

    /// <summary>One parameter; inside a syntax item the set's own mandatory/position flags win over the merged ones.</summary>
    private static XElement Parameter(LiveParameter p, HelpDocument doc, CommandParameterInfo? inSet)
    {
        doc.Parameters.TryGetValue(p.Name, out var documented);
        var required = inSet?.IsMandatory ?? p.Required;
        var position = inSet is null ? p.Position : inSet.Position >= 0 ? inSet.Position.ToString() : "Named";
        var typeName = p.Type.IsArray ? p.Type.GetElementType()!.FullName + "[]" : p.Type.FullName;
        var defaultValue = documented?.Metadata.GetValueOrDefault("Default value") is { Length: > 0 } d ? d : "None";
        return new XElement(Command + "parameter",
            new XAttribute("required", required.ToString().ToLowerInvariant()),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", p.Globbing.ToString().ToLowerInvariant()),
            new XAttribute("pipelineInput", p.PipelineInput),
            new XAttribute("position", position.ToLowerInvariant()),
            new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
            new XElement(Maml + "name", p.Name),
            Description(documented?.Description ?? []),
            p.IsSwitch ? null : new XElement(Command + "parameterValue",
                new XAttribute("required", "true"), new XAttribute("variableLength", "false"),
                LiveParameter.ShortTypeName(p.Type)),
            // In a syntax item, Get-Help shows a ValidateSet as "-OpsType {upgrade | rollback | config}".
            inSet is null || p.ValidValues.Count == 0 ? null : new XElement(Command + "parameterValueGroup",
                p.ValidValues.Select(v => new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
            new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", p.IsSwitch && defaultValue == "None" ? "False" : defaultValue));
    }

    private static XElement TypeEntry(XName name, HelpType type) =>
        new(name,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
