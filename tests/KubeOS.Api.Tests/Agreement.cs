using System.Text.RegularExpressions;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;
using KubeOS.Sandbox.Schema;

namespace KubeOS.Api.Tests;

/// <summary>Compares the validator's verdict on a manifest with the CRD's, field by field.</summary>
public static partial class Agreement
{
    /// <summary>Null when both accept, or both reject naming the same fields; otherwise what differs.</summary>
    public static string? Disagreement(ManifestDocument doc, SchemaResult result)
    {
        var validator = ManifestValidator.Validate(doc).Where(p => p.IsError).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var blocked = result.Causes.Any(IsRulesNotChecked);
        var crd = result.Causes.Where(c => !IsRulesNotChecked(c)).Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        var detail = $"validator [{string.Join(", ", validator.Order())}] crd [{string.Join("; ", result.Causes)}]";

        if (validator.Count == 0 != (result.Causes.Count == 0)) return "accept/reject differs: " + detail;
        foreach (var field in crd)
            if (!validator.Contains(field) && !validator.Any(v => ListField(v) == field))
                return $"validator does not name {field}: " + detail;
        // With a type, required, enum or size error the API server skips the CEL rules, so it may name fewer fields.
        if (!blocked)
            foreach (var path in validator)
                if (!crd.Contains(path) && !crd.Contains(ListField(path)))
                    return $"CRD does not name {path}: " + detail;
        return null;
    }

    public static bool Names(SchemaResult result, string path) =>
        result.Causes.Any(c => c.Field == path || c.Field == ListField(path));

    private static bool IsRulesNotChecked(FieldCause c) => c.Field.Length == 0 && c.Message.EndsWith(CrdSchema.RulesNotChecked, StringComparison.Ordinal);

    /// <summary>
    /// Kubernetes CEL rules cannot point fieldPath at a list item, so a per-model content rule (declared where the
    /// model is visible) reports the contents list; the validator names the item's key or value inside it.
    /// </summary>
    public static string ListField(string path) => ContentItem().Replace(path, "$1");

    [GeneratedRegex(@"^(.*\.contents)\[\d+\]\.(key|value)$")]
    private static partial Regex ContentItem();
}
