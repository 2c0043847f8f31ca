using System.Text.Json;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Manifests;

/// <summary>ConvertTo-KubeOSManifest's pre-staging, health-gate and failure-budget parameters.</summary>
public sealed class RolloutSafetyManifestTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private const string Checksum = "9c2b4f2a3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09";
    private readonly PowerShellSession _ps = fixture.Session;

    private const string Upgrade = """
        ConvertTo-KubeOSManifest -Name safe -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk -CaCert ca.crt `
            -ImageUrl https://images.example.internal/kubeos/2.0/update.img -Checksum $Checksum
        """;

    [Fact]
    public void The_safety_parameters_become_the_spec_fields_and_the_manifest_passes_Test_KubeOSManifest()
    {
        const string safety = " -PreStage -PreStageConcurrency 4 -PreStageBandwidthLimit 50Mi -HealthGatePodSelector app=web " +
                              "-HealthGateUrl 'http://127.0.0.1:8080/ready?node=$(NODE_NAME)' -HealthGateExpectStatus 204 -BakeTime 30 " +
                              "-HealthGateTimeout 300 -MaxFailures 2 -OnFailureBudget Revert";
        var result = _ps.Run(Upgrade + safety + " -AsJson", new() { ["Checksum"] = Checksum });
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        var json = (string)Assert.Single(result.Output).BaseObject;
        var spec = JsonDocument.Parse(json).RootElement.GetProperty("spec");
        var prestage = spec.GetProperty("prestage");
        Assert.True(prestage.GetProperty("enabled").GetBoolean());
        Assert.Equal(4, prestage.GetProperty("maxconcurrent").GetInt32());
        Assert.Equal("50Mi", prestage.GetProperty("bandwidthlimit").GetString());
        var gate = spec.GetProperty("healthgate");
        Assert.Equal("app=web", gate.GetProperty("podselector").GetString());
        Assert.Equal("http://127.0.0.1:8080/ready?node=$(NODE_NAME)", gate.GetProperty("httpprobe").GetProperty("url").GetString());
        Assert.Equal(204, gate.GetProperty("httpprobe").GetProperty("expectstatus").GetInt32());
        Assert.Equal((30, 300), (gate.GetProperty("baketime").GetInt32(), gate.GetProperty("timeout").GetInt32()));
        Assert.Equal(2, spec.GetProperty("maxfailures").GetInt32());
        Assert.Equal("revert", spec.GetProperty("onfailurebudget").GetString());

        var tested = _ps.Run(Upgrade + safety + " | Test-KubeOSManifest -Quiet", new() { ["Checksum"] = Checksum });
        Assert.Equal(true, Assert.Single(tested.Output).BaseObject);
    }

    [Fact]
    public void Without_the_parameters_the_manifest_has_none_of_the_fields()
    {
        var result = _ps.Run(Upgrade + " -AsJson", new() { ["Checksum"] = Checksum });
        var spec = JsonDocument.Parse((string)Assert.Single(result.Output).BaseObject).RootElement.GetProperty("spec");
        foreach (var field in new[] { "prestage", "healthgate", "maxfailures", "onfailurebudget" })
            Assert.False(spec.TryGetProperty(field, out _), field);
    }

    [Fact]
    public void Bad_values_name_the_parameter_to_change()
    {
        var record = _ps.Catch(Upgrade + " -PreStageBandwidthLimit 50MB -BakeTime 600 -HealthGateTimeout 60", new() { ["Checksum"] = Checksum });
        Assert.NotNull(record);
        Assert.Equal("InvalidManifestParameter,KubeOS.PowerShell.ConvertToKubeOSManifestCommand", record!.FullyQualifiedErrorId);
        Assert.Contains("Change -PreStageBandwidthLimit", record.Exception.Message);
        Assert.Contains("Change -HealthGateTimeout", record.Exception.Message);
        Assert.Contains("spec.healthgate.timeout", record.Exception.Message);
    }
}
