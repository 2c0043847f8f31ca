namespace KubeOS.Sandbox.Schema;

/// <summary>Field paths as k8s.io/apimachinery's field.Path prints them.</summary>
internal static class SchemaPaths
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Key(string parent, string key) => $"{parent}[{key}]";

    /// <summary>Appends a rule's relative <c>fieldPath</c> (<c>.a.b</c>, <c>['a.b']</c>) to the rule's location.</summary>
    public static string Append(string parent, string relative)
    {
        var path = parent;
        var i = 0;
        while (i < relative.Length)
        {
            if (relative[i] == '.')
            {
                var end = i + 1;
                while (end < relative.Length && relative[end] != '.' && relative[end] != '[') end++;
                path = Child(path, relative[(i + 1)..end]);
                i = end;
            }
            else if (relative[i] == '[')
            {
                var end = relative.IndexOf(']', i);
                if (end < 0) break;
                var inner = relative[(i + 1)..end].Trim('\'', '"');
                path = int.TryParse(inner, out var index) ? Index(path, index) : Child(path, inner);
                i = end + 1;
            }
            else i++;
        }
        return path;
    }
}
