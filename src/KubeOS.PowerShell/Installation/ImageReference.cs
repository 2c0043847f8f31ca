using System.Text.RegularExpressions;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// A container image reference split where -Registry and -Tag change it: <c>[registry/path/]name[:tag]</c>. Digests
/// (<c>@sha256:...</c>) are kept whole and only replaced by a full -OperatorImage/-ProxyImage.
/// </summary>
public static partial class ImageReference
{
    /// <summary>The image with its registry and path replaced by <paramref name="registry"/> and its tag by <paramref name="tag"/> (each when given).</summary>
    public static string Rewrite(string image, string? registry, string? tag)
    {
        var (repository, currentTag) = Split(image);
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        var newRepository = registry is null ? repository : $"{registry.TrimEnd('/')}/{name}";
        var newTag = tag ?? currentTag;
        return newTag is null ? newRepository : $"{newRepository}:{newTag}";
    }

    /// <summary>Null when usable, else what is wrong with a -Registry value.</summary>
    public static string? RegistryProblem(string registry) =>
        RegistryPattern().IsMatch(registry.TrimEnd('/'))
            ? null
            : $"-Registry '{registry}' is not a registry path: write a host with an optional port and path, such as registry.example.com:5000/kubeos, without a tag or digest.";

    /// <summary>Null when usable, else what is wrong with a -Tag value.</summary>
    public static string? TagProblem(string tag) =>
        TagPattern().IsMatch(tag)
            ? null
            : $"-Tag '{tag}' is not an image tag: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (for example 0.1.0).";

    /// <summary>Null when usable, else what is wrong with a full image reference given to <paramref name="parameter"/>.</summary>
    public static string? ImageProblem(string parameter, string image) =>
        ImagePattern().IsMatch(image)
            ? null
            : $"-{parameter} '{image}' is not an image reference: write [registry/]path/name[:tag][@sha256:digest], for example registry.example.com/kubeos/os-operator:0.1.0.";

    private static (string Repository, string? Tag) Split(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) return (image, null);
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }

    // Host[:port] then lower-case path components, as the distribution reference grammar allows.
    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImagePattern();
}
