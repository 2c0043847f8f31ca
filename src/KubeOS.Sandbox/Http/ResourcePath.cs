namespace KubeOS.Sandbox.Http;

/// <summary>
/// A resource URL split into its parts: /api/v1/namespaces/{ns}/{resource}/{name}/{subresource} and the
/// /apis/{group}/{version}/... equivalents, with or without namespace, name and subresource.
/// </summary>
public sealed record ResourcePath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after the group/version prefix; <paramref name="isResource"/> tells plural names apart.</summary>
    public static ResourcePath? Parse(string group, string version, IReadOnlyList<string> rest, Func<string, bool> isResource)
    {
        if (rest.Count == 0) return null;
        // namespaces/{ns}/{resource}/... is a namespaced request unless the third segment is a namespace subresource.
        if (rest[0] == "namespaces" && rest.Count >= 3 && isResource(rest[2]) && rest[2] is not "status" and not "finalize")
        {
            return rest.Count switch
            {
                3 => new ResourcePath(group, version, rest[1], rest[2], null, null),
                4 => new ResourcePath(group, version, rest[1], rest[2], rest[3], null),
                5 => new ResourcePath(group, version, rest[1], rest[2], rest[3], rest[4]),
                _ => null,
            };
        }
        return rest.Count switch
        {
            1 => new ResourcePath(group, version, null, rest[0], null, null),
            2 => new ResourcePath(group, version, null, rest[0], rest[1], null),
            3 => new ResourcePath(group, version, null, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
