using System.Text.Json.Nodes;
using KubeOS.Api.Crds;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Tests;

public class CrdTests
{
    private static JsonNode Crd(string name) => ManifestSerializer.ParseTrees(CustomResourceDefinitions.All[name])[0]!;

    [Fact]
    public void BothCrdsAreEmbeddedUnderTheirNames()
    {
        Assert.Equal([WellKnown.OSCrdName, WellKnown.OSInstanceCrdName], CustomResourceDefinitions.All.Keys);
        Assert.Equal(CustomResourceDefinitions.OS, File.ReadAllText(Path.Combine(Corpus.RepoRoot, "module", "deploy", "crds", "upgrade.openeuler.org_os.yaml")));
    }

    [Theory]
    [InlineData(WellKnown.OSCrdName, WellKnown.OSKind, WellKnown.OSPlural, "OS VERSION:.spec.osversion,SYSCONFIG VERSION:.spec.sysconfigs.version,UPGRADECONFIG VERSION:.spec.upgradeconfigs.version")]
    [InlineData(WellKnown.OSInstanceCrdName, WellKnown.OSInstanceKind, WellKnown.OSInstancePlural, "NODESTATUS:.spec.nodestatus,SYSCONFIG-VERSION-CURRENT:.status.sysconfigs.version,SYSCONFIG-VERSION-DESIRED:.spec.sysconfigs.version,UPGRADECONFIG-VERSION-CURRENT:.status.upgradeconfigs.version,UPGRADECONFIG-VERSION-DESIRED:.spec.upgradeconfigs.version")]
    public void CrdDeclaresKubeOSNamesScopeStatusAndColumns(string name, string kind, string plural, string columns)
    {
        var crd = Crd(name);
        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal(WellKnown.Group, crd["spec"]!["group"]!.GetValue<string>());
        Assert.Equal(kind, crd["spec"]!["names"]!["kind"]!.GetValue<string>());
        Assert.Equal(plural, crd["spec"]!["names"]!["plural"]!.GetValue<string>());
        Assert.Equal("Namespaced", crd["spec"]!["scope"]!.GetValue<string>());
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal(WellKnown.Version, version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        // KubeOS's columns exactly, in the default output; extra columns are wide-only (priority 1).
        Assert.Equal(columns, string.Join(",", version["additionalPrinterColumns"]!.AsArray()
            .Where(c => (long?)c!["priority"] is null or 0).Select(c => $"{c!["name"]}:{c["jsonPath"]}")));
    }

    [Fact]
    public void OSInstanceShowsPrestagingInTheWideOutput()
    {
        var columns = Crd(WellKnown.OSInstanceCrdName)["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray();
        var staged = Assert.Single(columns, c => (string?)c!["name"] == "STAGED")!;
        Assert.Equal(".status.prestage.state", (string?)staged["jsonPath"]);
        Assert.Equal(1L, (long?)staged["priority"]);
    }

    [Theory]
    [InlineData(WellKnown.OSCrdName)]
    [InlineData(WellKnown.OSInstanceCrdName)]
    public void SchemaIsStructural(string name)
    {
        var schema = Crd(name)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
        var problems = new List<string>();
        Walk(schema, "openAPIV3Schema");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        void Walk(JsonNode node, string path)
        {
            var obj = node.AsObject();
            var preserve = obj["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            if (obj["type"] is null && !preserve && obj["x-kubernetes-int-or-string"] is null) problems.Add($"{path}: no type");
            foreach (var junctor in new[] { "allOf", "anyOf", "oneOf", "not", "$ref", "additionalProperties" })
                if (obj.ContainsKey(junctor) && !(junctor == "additionalProperties" && obj[junctor] is JsonObject)) problems.Add($"{path}: {junctor}");
            if (obj["properties"] is JsonObject props)
                foreach (var (key, child) in props) Walk(child!, $"{path}.{key}");
            if (obj["items"] is JsonObject items) Walk(items, path + "[]");
            if (obj["type"]?.GetValue<string>() == "array" && obj["items"] is null) problems.Add($"{path}: array without items");
        }
    }

    [Fact]
    public void OSDefaultsAreThoseOfKubeOS()
    {
        var doc = Corpus.Load("samples/good/upgrade-disk.yaml");
        var admitted = Corpus.SchemaFor("OS").Admit(doc.Json!).Object["spec"]!;
        Assert.Equal(WellKnown.Defaults.NodeSelector, admitted["nodeselector"]!.GetValue<string>());
        Assert.Equal(WellKnown.Defaults.TimeIntervalSeconds, admitted["timeinterval"]!.GetValue<int>());
        Assert.Equal(WellKnown.Defaults.ExecutionMode, admitted["executionmode"]!.GetValue<string>());
    }

    [Fact]
    public void ContentValuesKeepAnyJson()
    {
        var doc = Corpus.Load("good/config-kubelet-any-values.yaml");
        var result = Corpus.SchemaFor("OS").Admit(doc.Json!);
        Assert.Empty(result.PrunedFields);
        Assert.True(JsonNode.DeepEquals(doc.Json!["spec"]!["sysconfigs"], result.Object["spec"]!["sysconfigs"]));
    }

    [Fact]
    public void MaxUnavailableZeroGivesKubeApiserverMessage()
    {
        var cause = Assert.Single(Corpus.SchemaFor("OS").Admit(Corpus.Load("samples/bad/maxunavailable-zero.yaml").Json!).Causes);
        Assert.Equal("FieldValueInvalid", cause.Type);
        Assert.Equal("spec.maxunavailable", cause.Field);
        Assert.Equal("Invalid value: 0: spec.maxunavailable in body should be greater than or equal to 1", cause.Message);
    }

    [Fact]
    public void FutureFieldsArePrunedByTheCrd()
    {
        var result = Corpus.SchemaFor("OS").Admit(Corpus.Load("good/os-future-fields.yaml").Json!);
        Assert.Equal(["spec.canarynodes", "spec.pause"], result.PrunedFields);
        Assert.NotNull(result.Object["status"]!["conditions"]);
    }
}
