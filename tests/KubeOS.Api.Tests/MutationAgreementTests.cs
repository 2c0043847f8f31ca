using System.Text.Json.Nodes;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Tests;

/// <summary>
/// Beyond the corpus: every good OS manifest with one field replaced by each of a set of awkward values must still be
/// judged the same way by the validator and by the CRD.
/// </summary>
public class MutationAgreementTests
{
    // One manifest per kind of operation and payload.
    private static readonly string[] Bases =
    [
        "samples/good/upgrade-disk.yaml", "samples/good/upgrade-containerd.yaml", "samples/good/config-kernel.yaml",
        "samples/good/rollback.yaml", "good/upgrade-disk-json.json",
    ];

    private static readonly string[] Fields =
    [
        "osversion", "opstype", "imagetype", "imageurl", "containerimage", "checksum", "flagSafe", "mtls", "cacert",
        "clientcert", "clientkey", "maxunavailable", "evictpodforce", "nodeselector", "timeinterval", "executionmode",
        "paused", "maxfailures",
    ];

    private static readonly JsonNode?[] Values =
    [
        null, "", "x", "upgrade", "config", "rollback", "disk", "docker", "containerd",
        "http://10.0.0.1/u.img", "https://h/u.img", "ftp://h/u.img", "registry.local:5000/kubeos/os:1.0",
        new string('a', 64), "a b", new string('x', 300), 0, 1, -1, 2.5, true, false, new JsonObject(),
    ];

    private static readonly (string Start, string End)[] Windows =
    [
        ("22:00", "04:00"), ("", ""), ("", "04:00"), ("22:00", ""), ("24:00", "04:00"), ("22:00", "22:00"),
        ("2026-01-02 00:00:00", "2026-01-01 00:00:00"), ("2026-01-01 00:00:00", "2026-01-02 00:00:00"), ("22:00:00", "04:00"),
    ];

    [Fact]
    public void ValidatorAndCrdAgreeOnEverySingleFieldChange()
    {
        var schema = Corpus.SchemaFor("OS");
        var disagreements = new List<string>();
        var checkedCount = 0;
        foreach (var file in Bases)
        {
            var original = Corpus.Load(file).Json!;
            foreach (var field in Fields)
            {
                foreach (var value in Values)
                {
                    var mutated = original.DeepClone();
                    if (value is null) mutated["spec"]!.AsObject().Remove(field);
                    else mutated["spec"]![field] = value.DeepClone();
                    Compare(mutated, $"{file} {field}={value?.ToJsonString() ?? "<absent>"}");
                }
            }
            foreach (var (start, end) in Windows)
            {
                var mutated = original.DeepClone();
                mutated["spec"]!["timewindow"] = new JsonObject { ["starttime"] = start, ["endtime"] = end };
                Compare(mutated, $"{file} timewindow={start}..{end}");
            }
        }
        Assert.True(checkedCount > 500);
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(30)));

        void Compare(JsonNode manifest, string what)
        {
            checkedCount++;
            var doc = ManifestSerializer.Parse(manifest.ToJsonString()).Single();
            if (Agreement.Disagreement(doc, schema.Admit(manifest)) is { } d) disagreements.Add($"{what}: {d}");
        }
    }
}
