using System.Text.RegularExpressions;

namespace KubeOS.Agent.Images.Oci;

/// <summary>registry[:port]/repository[:tag][@sha256:digest], resolved the way container runtimes do.</summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>Tag or digest, whichever addresses the manifest (the digest wins when both are given).</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    public static ImageReference Parse(string image)
    {
        if (string.IsNullOrWhiteSpace(image) || !Shape().IsMatch(image))
            throw new ArgumentException($"container_image '{image}' is not an image reference like registry.example.com:5000/kubeos/os:v2 or …@sha256:<64 hex>");
        string? digest = null;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }
        string? tag = null;
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }
        var firstSlash = image.IndexOf('/');
        var first = firstSlash < 0 ? "" : image[..firstSlash];
        // As docker: the first component is a registry only if it looks like a host.
        if (firstSlash > 0 && (first.Contains('.') || first.Contains(':') || first == "localhost"))
            return new ImageReference(first, image[(firstSlash + 1)..], tag, digest);
        var repository = firstSlash < 0 ? "library/" + image : image;
        return new ImageReference("registry-1.docker.io", repository, tag, digest);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex Shape();
}
