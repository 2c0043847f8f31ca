using System.Text.Json.Nodes;
using KubeOS.Sandbox.Patching;

namespace KubeOS.Sandbox.Tests;

/// <summary>Strategic merge patch semantics of the fields kubectl touches.</summary>
public sealed class StrategicMergePatchTests
{
    private static JsonObject Apply(string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original)!.AsObject(), JsonNode.Parse(patch));

    [Fact]
    public void OwnerReferences_merge_by_uid()
    {
        var result = Apply("""{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"2","name":"b2"},{"uid":"3","name":"c"}]}}""");
        Assert.Equal("""[{"uid":"1","name":"a"},{"uid":"2","name":"b2"},{"uid":"3","name":"c"}]""",
            result["metadata"]!["ownerReferences"]!.ToJsonString());
    }

    [Fact]
    public void Patch_delete_directive_removes_a_list_element_by_merge_key()
    {
        var result = Apply("""{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""",
            """{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}""");
        Assert.Equal("""[{"name":"b","image":"y"}]""", result["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void Finalizers_merge_as_a_set_and_deleteFromPrimitiveList_removes_entries()
    {
        var added = Apply("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"finalizers":["b","c"]}}""");
        Assert.Equal("""["a","b","c"]""", added["metadata"]!["finalizers"]!.ToJsonString());
        var removed = Apply("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""");
        Assert.Equal("""["b"]""", removed["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void SetElementOrder_orders_the_merged_list()
    {
        var result = Apply("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"z"}]}}""");
        Assert.Equal("""[{"name":"b"},{"name":"a","image":"z"}]""", result["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void Env_entries_merge_by_name_inside_a_container()
    {
        var result = Apply("""{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]}]}}""",
            """{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"3"}]}]}}""");
        Assert.Equal("""[{"name":"X","value":"1"},{"name":"Y","value":"3"}]""", result["spec"]!["containers"]![0]!["env"]!.ToJsonString());
    }

    [Fact]
    public void Lists_without_a_strategy_are_replaced_and_null_deletes_a_field()
    {
        var result = Apply("""{"spec":{"tolerations":[{"key":"a"}],"unschedulable":true}}""",
            """{"spec":{"tolerations":[{"key":"b"}],"unschedulable":null}}""");
        Assert.Equal("""{"tolerations":[{"key":"b"}]}""", result["spec"]!.ToJsonString());
    }

    [Fact]
    public void Patch_replace_directive_replaces_a_whole_map()
    {
        var result = Apply("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""");
        Assert.Equal("""{"c":"3"}""", result["metadata"]!["labels"]!.ToJsonString());
    }
}
