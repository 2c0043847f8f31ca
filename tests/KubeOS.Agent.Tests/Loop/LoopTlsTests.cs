using System.Security.Cryptography;
using KubeOS.Agent.Images;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Loop;

/// <summary>image_url over https, with the CA and client identity from the certificate directory (needs root and loop devices).</summary>
public sealed class LoopTlsTests
{
    [Fact]
    public async Task Loop_MutualTls_DownloadsWithClientCertificate_AndFailsWithoutIt()
    {
        using var disk = new LoopDisk();
        var certs = new TestCertificates();
        certs.WritePem(disk.System.CertsDir);
        var tar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2"));
        using var https = new TestHttpServer(tar, serverCertificate: certs.Server, clientCa: certs.Ca);
        await using var agent = new InProcessAgent(disk.System);
        var request = new UpgradeRequest
        {
            Version = "KubeOS v2", ImageType = ImageTypes.Disk, ImageUrl = https.Url, Mtls = true,
            CheckSum = Convert.ToHexStringLower(SHA256.HashData(tar)),
            Certs = new CertsInfo { CaCert = "ca.crt", ClientCert = "client.crt", ClientKey = "client.key" },
        };

        Assert.Equal(AgentStatus.UpgradeReady, (await agent.Client.PrepareUpgradeAsync(request, TestContext.Current.CancellationToken)).Status);
        Assert.Equal("ROOT-B", disk.Blkid(3, "LABEL"));

        request.Mtls = false;
        request.Certs.ClientCert = request.Certs.ClientKey = "";
        var refused = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(request, TestContext.Current.CancellationToken));
        Assert.Contains("downloading " + https.Url + " failed", refused.Message);
    }

    [Fact]
    public void Https_WithAServerCertificateNotFromTheNamedCa_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("kubeos-certs-").FullName;
        try
        {
            var trusted = new TestCertificates();
            var other = new TestCertificates();
            trusted.WritePem(dir);
            using var https = new TestHttpServer([1, 2, 3], serverCertificate: other.Server);
            using var client = ImageHttpClientFactory.Create(new UpgradeRequest { ImageUrl = https.Url, Certs = { CaCert = "ca.crt" } }, dir);

            var error = Assert.ThrowsAny<HttpRequestException>(() => client.GetAsync(https.Url, TestContext.Current.CancellationToken).GetAwaiter().GetResult());
            Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1/x.tar", false, false, "set flagSafe: true")]
    [InlineData("ftp://host/x.tar", true, false, "not an http:// or https:// URL")]
    [InlineData("https://127.0.0.1/x.tar", false, true, "certs.ca_cert is empty")]
    public void ClientChoice_FollowsKubeOSRules(string url, bool flagSafe, bool mtls, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            ImageHttpClientFactory.Create(new UpgradeRequest { ImageUrl = url, FlagSafe = flagSafe, Mtls = mtls }, "/nonexistent"));
        Assert.Contains(expected, error.Message);
    }
}
