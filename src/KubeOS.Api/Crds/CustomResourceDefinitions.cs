using System.Reflection;

namespace KubeOS.Api.Crds;

/// <summary>The CustomResourceDefinition manifests of OS and OSInstance, embedded from module/deploy/crds.</summary>
public static class CustomResourceDefinitions
{
    private const string Prefix = "crds/";
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Loaded = new(Load);

    /// <summary>CRD name (e.g. <c>os.upgrade.openeuler.org</c>) → YAML text.</summary>
    public static IReadOnlyDictionary<string, string> All => Loaded.Value;

    public static string OS => All[WellKnown.OSCrdName];

    public static string OSInstance => All[WellKnown.OSInstanceCrdName];

    private static IReadOnlyDictionary<string, string> Load()
    {
        var assembly = typeof(CustomResourceDefinitions).Assembly;
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            result[NameOf(text, resource)] = text;
        }
        return result;
    }

    // The file names follow controller-gen's <group>_<plural>.yaml; the CRD name is read from the manifest itself.
    private static string NameOf(string yaml, string resource)
    {
        using var reader = new StringReader(yaml);
        var inMetadata = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("metadata:", StringComparison.Ordinal)) { inMetadata = true; continue; }
            if (inMetadata && line.StartsWith("  name:", StringComparison.Ordinal)) return line["  name:".Length..].Trim();
            if (inMetadata && line.Length > 0 && !char.IsWhiteSpace(line[0])) inMetadata = false;
        }
        throw new InvalidDataException($"embedded CRD {resource} has no metadata.name");
    }
}
