using k8s;
using k8s.Autorest;
using KubeOS.Api;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>kubeos.md §3.1.6: the OSInstance of a deleted Node is deleted.</summary>
public sealed class NodeDeletionTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task Deleting_a_node_deletes_its_instance_and_leaves_the_others()
    {
        await using var op = sandbox.StartOperator("op-gc");
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(op.Runtime.Activity.Passes > 0), "the operator made a pass");
        Assert.Equal(0, op.Runtime.Activity.DeletedInstances);

        // Simulated kubelets only patch their node, so node-9 stays gone (a real one would re-register it).
        await sandbox.Client.CoreV1.DeleteNodeAsync("node-9");

        await OperatorSandbox.EventuallyAsync(async () => await InstanceMissing("node-9"), "the OSInstance of node-9 is deleted");
        Assert.False(await InstanceMissing("node-8"));
        Assert.Equal(1, op.Runtime.Activity.DeletedInstances);
    }

    private async Task<bool> InstanceMissing(string node)
    {
        try
        {
            await sandbox.Proxy.InstanceAsync(node);
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
    }
}
