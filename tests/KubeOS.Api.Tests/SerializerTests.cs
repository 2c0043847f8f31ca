using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Tests;

public class SerializerTests
{
    private const string Minimal = """
        apiVersion: upgrade.openeuler.org/v1alpha1
        kind: OS
        metadata:
          name: a
        spec:
          osversion: KubeOS 1.0.2
          maxunavailable: 2
        """;

    [Fact]
    public void ParsesEveryYamlDocumentWithIndexAndLine()
    {
        var text = Minimal + "\n---\n" + Minimal.Replace("name: a", "name: b").Replace("kind: OS", "kind: OSInstance") + "\n---\n";
        var docs = ManifestSerializer.Parse(text, "two.yaml");
        Assert.Equal(2, docs.Count);
        Assert.IsType<OS>(docs[0].Object);
        Assert.IsType<OSInstance>(docs[1].Object);
        Assert.Equal(["a", "b"], docs.Select(d => d.Name));
        Assert.Equal([0, 1], docs.Select(d => d.DocumentIndex));
        Assert.Equal(1, docs[0].Line);
        Assert.Equal(9, docs[1].Line);
        Assert.All(docs, d => Assert.Equal("two.yaml", d.SourceName));
        Assert.Equal("KubeOS 1.0.2", ((OS)docs[0].Object!).Spec!.OSVersion);
    }

    [Fact]
    public void DetectsJsonObjectsAndArrays()
    {
        var one = ManifestSerializer.Parse("""  {"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OS","metadata":{"name":"j"},"spec":{"maxunavailable":1}}""");
        Assert.Equal(1, Assert.IsType<OS>(Assert.Single(one).Object).Spec!.MaxUnavailable);
        var two = ManifestSerializer.Parse("""[{"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OS","metadata":{"name":"x"}},{"kind":"Pod"}]""");
        Assert.Equal(2, two.Count);
        Assert.Equal(ErrorIds.UnknownKind, Assert.Single(two[1].Problems).ErrorId);
    }

    [Fact]
    public void ListsAsKubectlPrintsThemStandForTheirItems()
    {
        var text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: upgrade.openeuler.org/v1alpha1\n  kind: OS\n  metadata:\n    name: a\n  spec:\n    maxunavailable: x\n- apiVersion: upgrade.openeuler.org/v1alpha1\n  kind: OSInstance\n  metadata:\n    name: b\n";
        var docs = ManifestSerializer.Parse(text);
        Assert.Equal(["a", "b"], docs.Select(d => d.Name));
        Assert.Equal([4, 10], docs.Select(d => d.Line));
        var p = Assert.Single(docs[0].Problems);
        Assert.Equal(("spec.maxunavailable", 9), (p.Path, p.Line));
        var json = ManifestSerializer.Parse("""{"kind":"OSList","items":[{"kind":"OS","apiVersion":"upgrade.openeuler.org/v1alpha1"},{"kind":"OS","apiVersion":"upgrade.openeuler.org/v1alpha1"}]}""");
        Assert.Equal([0, 1], json.Select(d => d.DocumentIndex));
        Assert.All(json, d => Assert.IsType<OS>(d.Object));
    }

    [Fact]
    public void YamlSyntaxErrorIsAProblemWithLineAndColumn()
    {
        var docs = ManifestSerializer.Parse("apiVersion: upgrade.openeuler.org/v1alpha1\nkind: OS\nspec:\n  a: [1, 2\n  b: 3\n");
        var problem = Assert.Single(Assert.Single(docs).Problems);
        Assert.Equal(ErrorIds.YamlSyntaxError, problem.ErrorId);
        Assert.NotNull(problem.Line);
        Assert.NotNull(problem.Column);
        Assert.Contains("line", problem.Message);
    }

    [Fact]
    public void JsonSyntaxErrorIsAProblem()
    {
        var problem = Assert.Single(Assert.Single(ManifestSerializer.Parse("{\"kind\": \"OS\",,}")).Problems);
        Assert.Equal(ErrorIds.JsonSyntaxError, problem.ErrorId);
        Assert.Equal(1, problem.Line);
    }

    [Fact]
    public void DocumentsBeforeASyntaxErrorAreKept()
    {
        var docs = ManifestSerializer.Parse(Minimal + "\n---\nkind: OS\nspec: {a: \n");
        Assert.Equal(2, docs.Count);
        Assert.IsType<OS>(docs[0].Object);
        Assert.Equal(ErrorIds.YamlSyntaxError, Assert.Single(docs[1].Problems).ErrorId);
    }

    [Theory]
    [InlineData("kind: Pod\napiVersion: v1\n", "kind", ErrorIds.UnknownKind)]
    [InlineData("kind: OS\napiVersion: upgrade.openeuler.org/v1\n", "apiVersion", ErrorIds.UnknownApiVersion)]
    [InlineData("apiVersion: upgrade.openeuler.org/v1alpha1\n", "kind", ErrorIds.RequiredFieldMissing)]
    [InlineData("- a\n- b\n", "", ErrorIds.NotAnObject)]
    public void UnknownDocumentsAreReportedNotThrown(string text, string path, string id)
    {
        var doc = Assert.Single(ManifestSerializer.Parse(text));
        Assert.Null(doc.Object);
        var p = Assert.Single(doc.Problems);
        Assert.Equal(path, p.Path);
        Assert.Equal(id, p.ErrorId);
    }

    [Fact]
    public void WrongTypesAreAllReportedWithPathAndValue()
    {
        var doc = Assert.Single(ManifestSerializer.Parse(Minimal.Replace("maxunavailable: 2", "maxunavailable: two\n  flagSafe: maybe\n  sysconfigs:\n    configs: notalist")));
        Assert.IsType<OS>(doc.Object);
        var byPath = doc.Problems.ToDictionary(p => p.Path);
        Assert.Equal("must be an integer, got \"two\"", byPath["spec.maxunavailable"].Message);
        Assert.Equal("spec.maxunavailable: must be an integer, got \"two\"", byPath["spec.maxunavailable"].ToString());
        Assert.Equal("must be a boolean (true or false), got \"maybe\"", byPath["spec.flagSafe"].Message);
        Assert.Equal("must be a list, got \"notalist\"", byPath["spec.sysconfigs.configs"].Message);
        Assert.All(doc.Problems, p => Assert.Equal(ErrorIds.InvalidType, p.ErrorId));
        Assert.Equal(7, byPath["spec.maxunavailable"].Line);
        var osv = ((OS)doc.Object!).Spec!.OSVersion;
        Assert.Equal("KubeOS 1.0.2", osv);
    }

    [Fact]
    public void DuplicateKeysAreReported()
    {
        var doc = Assert.Single(ManifestSerializer.Parse(Minimal + "\n  maxunavailable: 3\n"));
        var p = Assert.Single(doc.Problems);
        Assert.Equal(ErrorIds.DuplicateField, p.ErrorId);
        Assert.Equal("spec.maxunavailable", p.Path);
        Assert.Equal(3, ((OS)doc.Object!).Spec!.MaxUnavailable);
    }

    [Fact]
    public void YamlScalarsResolveAsKubectlReadsThem()
    {
        var doc = Assert.Single(ManifestSerializer.Parse("""
            apiVersion: upgrade.openeuler.org/v1alpha1
            kind: OS
            metadata: {name: s}
            spec:
              flagSafe: yes
              sysconfigs:
                configs:
                  - model: kubernetes.kubelet
                    contents:
                      - {key: a, value: 1}
                      - {key: b, value: "1"}
                      - {key: c, value: 1.5}
                      - {key: d, value: ~}
                      - {key: e, value: off}
                      - {key: f, value: 0x1F}
                      - {key: g, value: !!str 12}
            """));
        var spec = ((OS)doc.Object!).Spec!;
        Assert.True(spec.FlagSafe);
        var values = spec.SysConfigs!.Configs![0].Contents!.Select(c => c.Value).ToList();
        Assert.Equal(JsonValueKind.Number, values[0].ValueKind);
        Assert.Equal(JsonValueKind.String, values[1].ValueKind);
        Assert.Equal(1.5, values[2].GetDouble());
        Assert.Equal(JsonValueKind.Null, values[3].ValueKind);
        Assert.Equal(JsonValueKind.False, values[4].ValueKind);
        Assert.Equal(31, values[5].GetInt32());
        Assert.Equal("12", values[6].GetString());
    }

    [Fact]
    public void YamlOutputQuotesOnlyWhatWouldChangeType()
    {
        var os = new OS
        {
            Metadata = new ObjectMeta { Name = "q", Labels = new() { ["upgrade.openeuler.org/node-selector"] = "true" } },
            Spec = new OSSpec
            {
                OSVersion = "KubeOS 1.0.2", ImageType = "", Checksum = "1", MaxUnavailable = 2, FlagSafe = false,
                SysConfigs = new SysConfigs { Version = "v1", Configs = [new SysConfig { Model = "pam.limits", Contents = [Content.Of("*", "soft.nofile.1"), Content.Of("k", "null"), Content.Of("x", "a: b")] }] },
            },
        };
        var yaml = ManifestSerializer.ToYaml(os);
        Assert.Contains("  osversion: KubeOS 1.0.2\n", yaml);
        Assert.Contains("  imagetype: \"\"\n", yaml);
        Assert.Contains("  checksum: \"1\"\n", yaml);
        Assert.Contains("  maxunavailable: 2\n", yaml);
        Assert.Contains("  flagSafe: false\n", yaml);
        Assert.Contains("upgrade.openeuler.org/node-selector: \"true\"", yaml);
        Assert.Contains("value: \"null\"", yaml);
        Assert.DoesNotContain("null\n", yaml.Replace("\"null\"", ""));
        Assert.Contains("    configs:\n      - model: pam.limits\n", yaml);
        Assert.StartsWith("apiVersion: upgrade.openeuler.org/v1alpha1\nkind: OS\nmetadata:\n", yaml);
        var back = ManifestSerializer.FromYaml<OS>(yaml);
        Assert.True(JsonNode.DeepEquals(ManifestSerializer.ToNode(os), ManifestSerializer.ToNode(back)));
        Assert.Equal("a: b", back.Spec!.SysConfigs!.Configs![0].Contents![2].Value.GetString());
    }

    [Fact]
    public void AbsentFieldsStayAbsentAndExplicitNullValuesStayNull()
    {
        var os = ManifestSerializer.FromJson<OS>("""{"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OS","spec":{"sysconfigs":{"configs":[{"model":"kubernetes.kubelet","contents":[{"key":"a","value":null},{"key":"b"}]}]}}}""");
        var contents = os.Spec!.SysConfigs!.Configs![0].Contents!;
        Assert.True(contents[0].HasValue);
        Assert.False(contents[1].HasValue);
        var json = ManifestSerializer.ToJson(os, indented: false);
        Assert.Equal("""{"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OS","spec":{"sysconfigs":{"configs":[{"model":"kubernetes.kubelet","contents":[{"key":"a","value":null},{"key":"b"}]}]}}}""", json);
    }

    [Fact]
    public void UnknownFieldsSurviveARoundTrip()
    {
        const string json = """{"apiVersion":"upgrade.openeuler.org/v1alpha1","kind":"OS","metadata":{"name":"f","managedFields":[{"manager":"kubectl"}]},"spec":{"newfield":{"a":[1,2]},"timewindow":{"starttime":"","endtime":"","zone":"UTC"}},"status":{"conditions":[{"type":"Ready"}]},"extra":1}""";
        var os = ManifestSerializer.FromJson<OS>(json);
        Assert.True(os.Spec!.ExtensionData!.ContainsKey("newfield"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), ManifestSerializer.ToNode(os)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), ManifestSerializer.ToNode(ManifestSerializer.FromYaml<OS>(ManifestSerializer.ToYaml(os)))));
    }

    [Fact]
    public void TimestampsAreWrittenInKubernetesForm()
    {
        var os = ManifestSerializer.FromYaml<OS>("apiVersion: upgrade.openeuler.org/v1alpha1\nkind: OS\nmetadata:\n  creationTimestamp: 2026-01-31T23:00:00+01:00\n");
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 22, 0, 0, TimeSpan.Zero), os.Metadata!.CreationTimestamp);
        Assert.Contains("creationTimestamp: 2026-01-31T22:00:00Z", ManifestSerializer.ToYaml(os));
    }

    [Fact]
    public void ThrowingEntryPointsListEveryProblem()
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestSerializer.FromJson<OS>("""{"spec":{"maxunavailable":"x","mtls":"y"}}"""));
        Assert.Equal(["spec.maxunavailable", "spec.mtls"], e.Problems.Select(p => p.Path).Order());
        Assert.Throws<ManifestFormatException>(() => ManifestSerializer.FromYaml<OS>("spec: [a"));
        Assert.Equal(ErrorIds.JsonSyntaxError, Assert.Single(Assert.Throws<ManifestFormatException>(() => ManifestSerializer.FromJson<OS>("{\"spec\": }")).Problems).ErrorId);
        Assert.Throws<ArgumentException>(() => ManifestSerializer.ToJson(new object()));
    }

    [Fact]
    public void ContentScalarText()
    {
        Assert.Equal("5", ManifestSerializer.FromJson<Content>("""{"key":"k","value":5}""").ScalarText);
        Assert.Equal("true", ManifestSerializer.FromJson<Content>("""{"key":"k","value":true}""").ScalarText);
        Assert.Null(ManifestSerializer.FromJson<Content>("""{"key":"k","value":[1]}""").ScalarText);
        Assert.True(ManifestSerializer.FromJson<Content>("""{"key":"k","operation":"delete"}""").IsDelete);
        Assert.Equal("""{"key":"k","value":200}""", ManifestSerializer.ToJson(Content.Of("k", 200), indented: false));
        Assert.Equal("""{"key":"k","value":false,"operation":"delete"}""", ManifestSerializer.ToJson(Content.Of("k", false, "delete"), indented: false));
        Assert.Equal("""{"key":"k","value":0.5}""", ManifestSerializer.ToJson(Content.Of("k", 0.5), indented: false));
    }
}
