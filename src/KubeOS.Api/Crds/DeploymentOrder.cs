namespace KubeOS.Api.Crds;

/// <summary>
/// The order, by kind, in which every installer applies the KubeOS deployment (the CRDs and
/// <see cref="DeploymentManifests"/>): the definitions first, then the namespace and the identities and roles the
/// workloads run as, the workloads last, so each object finds what it refers to. Removal runs in reverse.
/// </summary>
public static class DeploymentOrder
{
    /// <summary>The kinds the deployment may hold, in apply order.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
        "Deployment", "DaemonSet",
    ];

    /// <summary>The place of <paramref name="kind"/> in <see cref="Kinds"/>.</summary>
    /// <exception cref="InvalidDataException">The kind is not one the deployment may hold.</exception>
    public static int Of(string? kind)
    {
        for (var i = 0; i < Kinds.Count; i++)
        {
            if (Kinds[i] == kind) return i;
        }
        throw new InvalidDataException(
            $"The KubeOS deployment manifests hold an object of kind \"{kind}\", which is not applied; the kinds applied are {string.Join(", ", Kinds)}.");
    }

    /// <summary>The objects in apply order: by kind, then by name so the order is the same on every run.</summary>
    public static IEnumerable<T> Sort<T>(IEnumerable<T> objects, Func<T, string?> kind, Func<T, string?> name) =>
        objects.OrderBy(o => Of(kind(o))).ThenBy(name, StringComparer.Ordinal);
}
