using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Tests;

/// <summary>The node status fields the proxy adds to OSInstance.status: typed, kept by the CRD, invisible when unused.</summary>
public class NodeStatusContractTests
{
    private const string File = "good/osinstance-node-status.yaml";

    [Fact]
    public void CrdKeepsEveryNodeStatusField()
    {
        var doc = Corpus.Load(File);
        var result = Corpus.SchemaFor("OSInstance").Admit(doc.Json!);
        Assert.Empty(result.Causes);
        Assert.Empty(result.PrunedFields);
        Assert.True(JsonNode.DeepEquals(doc.Json!["status"], result.Object["status"]));
    }

    [Fact]
    public void NodeStatusFieldsBindToTypedProperties()
    {
        var osi = Assert.IsType<OSInstance>(Corpus.Load(File).Object);
        var status = osi.Status!;
        Assert.Null(status.ExtensionData);
        Assert.Equal(NodePhases.Rebooting, status.Phase);
        Assert.Equal([NodeConditionTypes.Progressing, NodeConditionTypes.Drained, NodeConditionTypes.Failed], status.Conditions!.Select(c => c.Type));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 18, 4, 10, TimeSpan.Zero), status.Conditions![1].LastTransitionTime);
        Assert.Equal(3, status.Conditions[0].ObservedGeneration);
        var op = status.Operation!;
        Assert.Equal(("upgrade", "KubeOS v2", "KubeOS v1", "v2"), (op.OpsType, op.TargetVersion, op.FromVersion, op.ConfigVersion));
        Assert.Equal(("os-upgrade-disk", "default", 1L), (op.OS!.Name, op.OS.Namespace, op.OS.Generation));
        Assert.Equal("0f1c6a3e-6d7b-4b59-9c3e-2f0c8a1b7d42", op.BootId);
        Assert.True(op.CordonedByUs);
        Assert.Equal(1, op.Attempt);
        Assert.Null(op.FailureReason);
        Assert.Null(op.ExtensionData);
    }

    [Fact]
    public void PlainKubeOSInstanceWritesNoNodeStatusFields()
    {
        var osi = Assert.IsType<OSInstance>(Corpus.Load("samples/good/osinstance.yaml").Object);
        var status = ManifestSerializer.ToNode(osi)!["status"]!.AsObject();
        Assert.Equal(["sysconfigs", "upgradeconfigs"], status.Select(p => p.Key));
    }

    [Fact]
    public void UnknownFieldInsideOperationIsKeptAndWarned()
    {
        var json = ManifestSerializer.ToNode(Corpus.Load(File).Object!)!;
        json["status"]!["operation"]!["retrybudget"] = 3;
        var doc = ManifestSerializer.Parse(json.ToJsonString()).Single();
        Assert.True(JsonNode.DeepEquals(json, ManifestSerializer.ToNode(doc.Object!)));
        var warning = Assert.Single(Validation.ManifestValidator.Validate(doc));
        Assert.Equal("status.operation.retrybudget", warning.Path);
    }

    [Fact]
    public void RepeatedConditionTypeIsRejectedByValidatorAndCrd()
    {
        var json = ManifestSerializer.ToNode(Corpus.Load(File).Object!)!;
        json["status"]!["conditions"]![2]!["type"] = "Progressing";
        var doc = ManifestSerializer.Parse(json.ToJsonString()).Single();
        var error = Assert.Single(Validation.ManifestValidator.Validate(doc), p => p.IsError);
        Assert.Equal("status.conditions[2]", error.Path);
        Assert.Null(Agreement.Disagreement(doc, Corpus.SchemaFor("OSInstance").Admit(json)));
    }
}
