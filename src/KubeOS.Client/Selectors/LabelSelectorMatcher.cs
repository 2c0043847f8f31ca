using k8s.Models;

namespace KubeOS.Client.Selectors;

/// <summary>
/// Kubernetes label selector semantics (matchLabels and matchExpressions), as the PDB controller applies them; shared by
/// os-proxy's drain and the module's upgrade plans so both name the same budgets.
/// </summary>
public static class LabelSelectorMatcher
{
    /// <summary>A null selector selects nothing, an empty one everything (policy/v1 PodDisruptionBudget rules).</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var e in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(e.Key, out var actual);
            var values = e.Values ?? [];
            var ok = e.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>The budgets that cover a pod: same namespace, selector matching its labels.</summary>
    public static IReadOnlyList<V1PodDisruptionBudget> BudgetsFor(V1Pod pod, IEnumerable<V1PodDisruptionBudget> budgets) =>
        budgets.Where(b => (b.Metadata?.NamespaceProperty ?? "default") == (pod.Metadata?.NamespaceProperty ?? "default")
                           && Matches(b.Spec?.Selector, pod.Metadata?.Labels)).ToList();
}
