using System.Text.RegularExpressions;

namespace KubeOS.Api.Serialization;

/// <summary>Builds field paths in the form Kubernetes reports them: <c>spec.configs[0].key</c>, <c>metadata.labels[a/b]</c>.</summary>
public static partial class FieldPath
{
    public static string Child(string parent, string name)
    {
        if (!SimpleName().IsMatch(name)) return $"{parent}[{name}]";
        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$-]*$")]
    private static partial Regex SimpleName();
}
