using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Tests;

public class CorpusTests
{
    [Fact]
    public void CorpusIsLargeEnough()
    {
        Assert.True(Corpus.Good().Count() + Corpus.Bad().Count() >= 30);
        Assert.True(Directory.EnumerateFiles(Path.Combine(Corpus.OwnRoot, "good")).Count() +
                    Directory.EnumerateFiles(Path.Combine(Corpus.OwnRoot, "bad")).Count() >= 25);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Corpus.SamplesRoot, "bad")));
    }

    [Theory]
    [MemberData(nameof(Corpus.GoodData), MemberType = typeof(Corpus))]
    public void GoodManifestLoadsAndValidatesWithoutErrors(string file)
    {
        var doc = Corpus.Load(file);
        Assert.NotNull(doc.Object);
        var errors = ManifestValidator.Validate(doc).Where(p => p.IsError).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(Corpus.GoodData), MemberType = typeof(Corpus))]
    public void GoodManifestRoundTripsThroughYamlAndJson(string file)
    {
        var doc = Corpus.Load(file);
        var original = doc.Json!;

        var yaml = ManifestSerializer.ToYaml(doc.Object!);
        var fromYaml = ManifestSerializer.Parse(yaml).Single();
        Assert.Empty(fromYaml.Problems);
        Assert.True(JsonNode.DeepEquals(original, fromYaml.Json), $"YAML round trip changed the manifest:\n{yaml}");
        Assert.True(JsonNode.DeepEquals(original, ManifestSerializer.ToNode(fromYaml.Object!)));

        var json = ManifestSerializer.ToJson(doc.Object!);
        object back = doc.Object switch
        {
            OS => ManifestSerializer.FromJson<OS>(json),
            OSInstance => ManifestSerializer.FromJson<OSInstance>(json),
            _ => throw new InvalidOperationException(),
        };
        Assert.True(JsonNode.DeepEquals(original, ManifestSerializer.ToNode(back)), $"JSON round trip changed the manifest:\n{json}");
    }

    [Theory]
    [MemberData(nameof(Corpus.BadData), MemberType = typeof(Corpus))]
    public void BadManifestIsRejectedAtTheNamedField(string file)
    {
        var expected = Corpus.ExpectedPath(file);
        var errors = ManifestValidator.Validate(Corpus.Load(file)).Where(p => p.IsError).ToList();
        Assert.Contains(errors, p => p.Path == expected);
        Assert.All(errors, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Message));
            Assert.False(string.IsNullOrWhiteSpace(p.Fix));
            Assert.Contains(p.ErrorId, ErrorIds.All);
            Assert.NotNull(p.Line);
        });
    }

    [Fact]
    public void UnknownOperationAndUnsupportedDeleteOnlyWarn()
    {
        var problems = ManifestValidator.Validate(Corpus.Load("good/config-unknown-operation-warns.yaml"));
        Assert.Equal(
            new[] { (ErrorIds.UnknownOperation, "spec.sysconfigs.configs[0].contents[0].operation"), (ErrorIds.UnsupportedDelete, "spec.sysconfigs.configs[1].contents[0].operation") },
            problems.Select(p => (p.ErrorId, p.Path)));
        Assert.All(problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
    }

    [Fact]
    public void SeveralProblemsAreReportedTogether()
    {
        var errors = ManifestValidator.Validate(Corpus.Load("bad/several-problems.yaml")).Where(p => p.IsError).ToList();
        Assert.Equal(
            new[] { "spec.checksum", "spec.executionmode", "spec.imageurl", "spec.maxunavailable", "spec.timeinterval" },
            errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.ErrorId == ErrorIds.MaxUnavailableOutOfRange && e.Message == "must be an integer >= 1, got 0");
        Assert.Contains(errors, e => e.ErrorId == ErrorIds.InsecureImageUrl);
        Assert.Contains(errors, e => e.ErrorId == ErrorIds.InvalidChecksum && e.Message.Contains("\"abc\""));
    }
}
