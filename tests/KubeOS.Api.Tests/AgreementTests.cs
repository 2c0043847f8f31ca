namespace KubeOS.Api.Tests;

/// <summary>
/// The C# validator and the CRDs (through the sandbox's schema engine) must accept and reject the same manifests,
/// naming the same fields.
/// </summary>
public class AgreementTests
{
    [Theory]
    [MemberData(nameof(Corpus.AllData), MemberType = typeof(Corpus))]
    public void ValidatorAndCrdAgree(string file)
    {
        var doc = Corpus.Load(file);
        Assert.NotNull(doc.Kind);
        var disagreement = Agreement.Disagreement(doc, Corpus.SchemaFor(doc.Kind!).Admit(doc.Json!));
        Assert.True(disagreement is null, disagreement);
    }

    [Theory]
    [MemberData(nameof(Corpus.BadData), MemberType = typeof(Corpus))]
    public void CrdRejectsBadManifestAtTheNamedField(string file)
    {
        var doc = Corpus.Load(file);
        var result = Corpus.SchemaFor(doc.Kind!).Admit(doc.Json!);
        Assert.True(Agreement.Names(result, Corpus.ExpectedPath(file)), string.Join("\n", result.Causes));
    }
}
