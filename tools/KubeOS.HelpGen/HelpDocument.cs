namespace KubeOS.HelpGen;

/// <summary>The prose of one cmdlet's help page; syntax and parameter metadata come from the live cmdlet instead.</summary>
public sealed class HelpDocument
{
    public required string SourcePath { get; init; }
    public string? Title { get; set; }
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Synopsis { get; } = [];
    public List<string> Description { get; } = [];
    public List<HelpExample> Examples { get; } = [];
    public Dictionary<string, HelpParameter> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool HasCommonParameters { get; set; }
    public List<HelpType> Inputs { get; } = [];
    public List<HelpType> Outputs { get; } = [];
    public List<string> Notes { get; } = [];
    public List<HelpLink> RelatedLinks { get; } = [];
    public HashSet<string> Sections { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed record HelpExample(string Title)
{
    public string? Code { get; set; }
    public List<string> Remarks { get; } = [];
}

public sealed record HelpParameter(string Name)
{
    public List<string> Description { get; } = [];

    /// <summary>The "Key: value" lines of the parameter's yaml block (Type, Default value, ...).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed record HelpType(string TypeName)
{
    public List<string> Description { get; } = [];
}

public sealed record HelpLink(string Text, string Uri);
