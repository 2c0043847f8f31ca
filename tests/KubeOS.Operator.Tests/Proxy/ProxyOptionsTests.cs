using KubeOS.Proxy.Hosting;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class ProxyOptionsTests
{
    [Fact]
    public void DefaultsNeedOnlyTheNodeName()
    {
        var options = new ProxyOptions();
        Assert.Equal("NODE_NAME is not set: pass the node name, e.g. env NODE_NAME from fieldRef spec.nodeName in the DaemonSet", Assert.Single(options.Problems()));
        options.NodeName = "worker-1";
        Assert.Empty(options.Problems());
        Assert.Equal(("/run/os-agent/os-agent.sock", TimeSpan.FromMinutes(10)), (options.AgentSocket, options.DrainTimeout));
    }

    [Fact]
    public void NonPositiveTimeoutsAreRejectedByName()
    {
        var options = new ProxyOptions { NodeName = "n", DrainTimeout = TimeSpan.Zero, RebootTimeout = TimeSpan.FromSeconds(-1) };
        Assert.Equal(["Proxy:DrainTimeout", "Proxy:RebootTimeout"], options.Problems().Select(p => p.Split(' ')[0]));
    }
}
