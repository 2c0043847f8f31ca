using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Selectors;

/// <summary>
/// A ?fieldSelector= (=, ==, != joined by commas) over the fields kube-apiserver indexes for each kind; any other
/// field is refused with 400 as kube-apiserver refuses it.
/// </summary>
public sealed class FieldSelector
{
    private sealed record Term(string Field, string Value, bool Negated);
    private readonly List<Term> _terms;
    private readonly ResourceType _type;

    private FieldSelector(ResourceType type, List<Term> terms)
    {
        _type = type;
        _terms = terms;
    }

    public bool IsEverything => _terms.Count == 0;

    public static FieldSelector Parse(ResourceType type, string? text)
    {
        var terms = new List<Term>();
        if (!string.IsNullOrWhiteSpace(text))
        {
            foreach (var raw in text.Split(','))
            {
                var part = raw.Trim();
                if (part.Length == 0) continue;
                Term term;
                var ne = part.IndexOf("!=", StringComparison.Ordinal);
                var eq2 = part.IndexOf("==", StringComparison.Ordinal);
                var eq = part.IndexOf('=');
                if (ne > 0) term = new Term(part[..ne], part[(ne + 2)..], true);
                else if (eq2 > 0) term = new Term(part[..eq2], part[(eq2 + 2)..], false);
                else if (eq > 0) term = new Term(part[..eq], part[(eq + 1)..], false);
                else throw ApiError.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
                if (!Supported(type, term.Field))
                    throw ApiError.BadRequest(type.IsCustom
                        ? $"\"{term.Field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                        : $"field label not supported: {term.Field}");
                terms.Add(term);
            }
        }
        return new FieldSelector(type, terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var t in _terms)
        {
            var actual = Value(_type, obj, t.Field);
            if ((actual == t.Value) == t.Negated) return false;
        }
        return true;
    }

    private static readonly Dictionary<string, string[]> Extra = new()
    {
        ["/pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["/nodes"] = ["spec.unschedulable"],
        ["/namespaces"] = ["status.phase"],
        ["/secrets"] = ["type"],
        ["/events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
            "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["apps/replicasets"] = ["status.replicas"],
    };

    private static bool Supported(ResourceType type, string field) =>
        field is "metadata.name" or "metadata.namespace" ||
        (!type.IsCustom && Extra.TryGetValue(type.Key, out var fields) && fields.Contains(field));

    private static string Value(ResourceType type, JsonObject obj, string field)
    {
        if (field == "metadata.namespace" && !type.Namespaced) return "";
        if (field == "spec.unschedulable") return obj["spec"]?["unschedulable"]?.GetValue<bool>() == true ? "true" : "false";
        if (field == "spec.hostNetwork") return obj["spec"]?["hostNetwork"]?.GetValue<bool>() == true ? "true" : "false";
        if (field == "source") return obj["source"]?["component"]?.ToString() ?? "";
        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = (node as JsonObject)?[part];
            if (node is null) return "";
        }
        return node.ToString();
    }
}
