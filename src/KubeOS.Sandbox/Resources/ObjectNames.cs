using System.Text.RegularExpressions;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Resources;

/// <summary>Name rules of k8s.io/apimachinery/pkg/util/validation, with its exact messages.</summary>
public static partial class ObjectNames
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    public static IEnumerable<StatusCause> ValidateName(ResourceType type, string name)
    {
        var isLabel = type.Key is "/namespaces";
        if (isLabel)
        {
            if (name.Length > 63)
                yield return KindStrategy.InvalidValue("metadata.name", name, "must be no more than 63 characters");
            if (!Label().IsMatch(name))
                yield return KindStrategy.InvalidValue("metadata.name", name, LabelMessage);
            yield break;
        }
        if (name.Length > 253)
            yield return KindStrategy.InvalidValue("metadata.name", name, "must be no more than 253 characters");
        if (!Subdomain().IsMatch(name))
            yield return KindStrategy.InvalidValue("metadata.name", name, SubdomainMessage);
    }

    private const string GenerateAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>generateName plus five characters from the alphabet kube-apiserver uses.</summary>
    public static string Generate(string prefix)
    {
        if (prefix.Length > 58) prefix = prefix[..58];
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < 5; i++) suffix[i] = GenerateAlphabet[Random.Shared.Next(GenerateAlphabet.Length)];
        return prefix + new string(suffix);
    }
}
