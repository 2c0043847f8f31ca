using KubeOS.Api.Models;
using KubeOS.Proxy.Execution;
using Xunit;
using SysConfig = KubeOS.Api.Models.SysConfig;

namespace KubeOS.Operator.Tests.Proxy;

public class AgentRequestsTests
{
    [Fact]
    public void UpgradeRequestCarriesEveryFieldWithEmptyStringsForAbsentOnes()
    {
        var request = AgentRequests.Upgrade(new OSSpec { OSVersion = "KubeOS v2", ImageType = "disk", ImageUrl = "https://r/v2.tar", Checksum = "ABC", Mtls = true, ClientKey = "k.pem" });
        Assert.Equal(("KubeOS v2", "abc", "disk", "https://r/v2.tar", ""), (request.Version, request.CheckSum, request.ImageType, request.ImageUrl, request.ContainerImage));
        Assert.Equal((false, true), (request.FlagSafe, request.Mtls));
        Assert.Equal(("", "", "k.pem"), (request.Certs.CaCert, request.Certs.ClientCert, request.Certs.ClientKey));
    }

    [Fact]
    public void ConfigureSkipsModelsWithoutContentsAndKeysContentsByKeyLastWins()
    {
        var configs = new SysConfigs
        {
            Version = "v1",
            Configs =
            [
                new SysConfig { Model = "kernel.sysctl", Contents = [Content.Of("a", "1"), Content.Of("a", "2"), Content.Of("b", (string?)null, "delete")] },
                new SysConfig { Model = "pam.limits" },
                new SysConfig { Model = "kernel.sysctl.persist", ConfigPath = "/etc/x.conf", Contents = [Content.Of("c", 3)] },
            ],
        };
        var request = AgentRequests.Configure(configs)!;
        Assert.Equal(["kernel.sysctl", "kernel.sysctl.persist"], request.Configs.Select(c => c.Model));
        Assert.Equal("2", request.Configs[0].Contents["a"].Value.GetString());
        Assert.Equal("delete", request.Configs[0].Contents["b"].Operation);
        Assert.Equal(("/etc/x.conf", 3), (request.Configs[1].ConfigPath, request.Configs[1].Contents["c"].Value.GetInt32()));
    }

    [Fact]
    public void ConfigureWithNothingToApplySendsNothing()
    {
        Assert.Null(AgentRequests.Configure(null));
        Assert.Null(AgentRequests.Configure(new SysConfigs { Version = "v2", Configs = [new SysConfig { Model = "kernel.sysctl", Contents = [] }] }));
    }
}
