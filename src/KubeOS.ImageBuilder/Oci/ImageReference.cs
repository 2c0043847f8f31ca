namespace KubeOS.ImageBuilder.Oci;

/// <summary>host[:port]/repository[:tag] — the registry host must be explicit (no implicit Docker Hub).</summary>
public sealed record ImageReference(string Registry, string Repository, string Tag)
{
    public override string ToString() => $"{Registry}/{Repository}:{Tag}";

    public static bool TryParse(string text, out ImageReference reference, out string problem)
    {
        reference = null!;
        var slash = text.IndexOf('/');
        if (slash <= 0)
        {
            problem = $"'{text}' has no registry host; write it as host[:port]/repository[:tag], e.g. 127.0.0.1:5000/kubeos/os:1.0.0.";
            return false;
        }
        var registry = text[..slash];
        var rest = text[(slash + 1)..];
        var colon = rest.LastIndexOf(':');
        var repository = colon > 0 ? rest[..colon] : rest;
        var tag = colon > 0 ? rest[(colon + 1)..] : "latest";
        if (repository.Length == 0 || repository.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || "._-/".Contains(c))))
        {
            problem = $"repository '{repository}' must be lowercase letters, digits and . _ - /.";
            return false;
        }
        if (tag.Length == 0 || tag.Length > 128 || tag.Any(c => !(char.IsAsciiLetterOrDigit(c) || "._-".Contains(c))))
        {
            problem = $"tag '{tag}' must be 1-128 letters, digits, '.', '_' or '-'.";
            return false;
        }
        reference = new ImageReference(registry, repository, tag);
        problem = "";
        return true;
    }
}
