using System.Reflection;
using System.Text.Json;
using KubeOS.Api.Crds;
using KubeOS.Api.Serialization;
using KubeOS.Sandbox.Schema;

namespace KubeOS.Api.Tests;

/// <summary>The manifests the tests run over: the reference samples and this repository's own corpus.</summary>
public static class Corpus
{
    public static string RepoRoot { get; } = typeof(Corpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    public static string SamplesRoot { get; } = FindSamples();

    public static string OwnRoot => Path.Combine(RepoRoot, "tests", "manifests");

    public static IEnumerable<string> Good() => Files(Path.Combine(SamplesRoot, "good")).Concat(Files(Path.Combine(OwnRoot, "good")));

    public static IEnumerable<string> Bad() => Files(Path.Combine(SamplesRoot, "bad")).Concat(Files(Path.Combine(OwnRoot, "bad")));

    public static TheoryData<string> GoodData() => new(Good().Select(Relative));

    public static TheoryData<string> BadData() => new(Bad().Select(Relative));

    public static TheoryData<string> AllData() => new(Good().Concat(Bad()).Select(Relative));

    public static string Full(string relative) => relative.StartsWith("samples/", StringComparison.Ordinal)
        ? Path.Combine(SamplesRoot, relative["samples/".Length..])
        : Path.Combine(OwnRoot, relative);

    public static ManifestDocument Load(string relative)
    {
        var docs = ManifestSerializer.Parse(File.ReadAllText(Full(relative)), relative);
        Assert.Single(docs);
        return docs[0];
    }

    /// <summary>The field a bad manifest's first line names: <c># expected: spec.maxunavailable must be ...</c>.</summary>
    public static string ExpectedPath(string relative)
    {
        var first = File.ReadLines(Full(relative)).First();
        Assert.StartsWith("# expected: ", first);
        return first["# expected: ".Length..].Split(' ')[0];
    }

    public static CrdSchema SchemaFor(string kind) => Schemas.Value[kind];

    private static readonly Lazy<Dictionary<string, CrdSchema>> Schemas = new(() =>
        CustomResourceDefinitions.All.Values.ToDictionary(
            yaml => ManifestSerializer.ParseTrees(yaml)[0]!["spec"]!["names"]!["kind"]!.GetValue<string>(),
            yaml =>
            {
                var crd = JsonSerializer.SerializeToElement(ManifestSerializer.ParseTrees(yaml)[0]);
                return CrdSchema.FromCrdVersion(crd.GetProperty("spec").GetProperty("versions")[0].GetProperty("schema").GetProperty("openAPIV3Schema"));
            }));

    private static IEnumerable<string> Files(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static string Relative(string full) => full.StartsWith(SamplesRoot, StringComparison.Ordinal)
        ? "samples/" + Path.GetRelativePath(SamplesRoot, full).Replace('\\', '/')
        : Path.GetRelativePath(OwnRoot, full).Replace('\\', '/');

    // A copy of the reference samples (KubeOS-format manifests) kept in the repository, so tests need nothing beside it.
    private static string FindSamples() => Path.Combine(RepoRoot, "tests", "manifests", "samples");
}
