using System.Management.Automation;
using System.Text.Json;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Manifests;

public sealed class ConvertToKubeOSManifestTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private const string CmdletId = "KubeOS.PowerShell.ConvertToKubeOSManifestCommand";
    private const string Checksum = "9c2b4f2a3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09";
    private readonly PowerShellSession _ps = fixture.Session;

    private const string DiskUpgrade = """
        ConvertTo-KubeOSManifest -Name os-v2 -Namespace kube-ops -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk `
            -ImageUrl https://images.example.internal/kubeos/2.0/update.img -CaCert ca.crt -Checksum $Checksum `
            -MaxUnavailable 3 -EvictPodForce -ExecutionMode serial -TimeWindow '22:00:00', '04:00:00' -TimeInterval 30 `
            -NodeSelector batch-a -UpgradeConfigVersion u1 -UpgradeConfig @{ 'kernel.sysctl' = @{ 'net.ipv4.ip_forward' = '1' } }
        """;

    [Fact]
    public void The_YAML_it_writes_passes_Test_KubeOSManifest()
    {
        var result = _ps.Run($"{DiskUpgrade} | Test-KubeOSManifest -Quiet", new() { ["Checksum"] = Checksum });

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void The_JSON_it_writes_passes_Test_KubeOSManifest_too()
    {
        var result = _ps.Run($"{DiskUpgrade} -AsJson | Test-KubeOSManifest -Quiet", new() { ["Checksum"] = Checksum });

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void The_manifest_has_the_given_fields()
    {
        var result = _ps.Run($"{DiskUpgrade} -AsJson", new() { ["Checksum"] = Checksum });

        Assert.True(result.Terminating is null, result.ToString());
        using var json = JsonDocument.Parse((string)Assert.Single(result.Output).BaseObject);
        var root = json.RootElement;
        Assert.Equal("upgrade.openeuler.org/v1alpha1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("OS", root.GetProperty("kind").GetString());
        Assert.Equal("os-v2", root.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("kube-ops", root.GetProperty("metadata").GetProperty("namespace").GetString());
        var spec = root.GetProperty("spec");
        Assert.Equal("upgrade", spec.GetProperty("opstype").GetString());
        Assert.Equal("KubeOS 2.0", spec.GetProperty("osversion").GetString());
        Assert.Equal("disk", spec.GetProperty("imagetype").GetString());
        Assert.Equal("https://images.example.internal/kubeos/2.0/update.img", spec.GetProperty("imageurl").GetString());
        Assert.Equal(Checksum, spec.GetProperty("checksum").GetString());
        Assert.Equal("", spec.GetProperty("containerimage").GetString());
        Assert.Equal(3, spec.GetProperty("maxunavailable").GetInt32());
        Assert.True(spec.GetProperty("evictpodforce").GetBoolean());
        Assert.False(spec.GetProperty("flagSafe").GetBoolean());
        Assert.False(spec.GetProperty("mtls").GetBoolean());
        Assert.Equal("ca.crt", spec.GetProperty("cacert").GetString());
        Assert.Equal("serial", spec.GetProperty("executionmode").GetString());
        Assert.Equal("batch-a", spec.GetProperty("nodeselector").GetString());
        Assert.Equal(30, spec.GetProperty("timeinterval").GetInt32());
        Assert.Equal("22:00:00", spec.GetProperty("timewindow").GetProperty("starttime").GetString());
        Assert.Equal("04:00:00", spec.GetProperty("timewindow").GetProperty("endtime").GetString());
        var upgradeConfigs = spec.GetProperty("upgradeconfigs");
        Assert.Equal("u1", upgradeConfigs.GetProperty("version").GetString());
        var config = Assert.Single(upgradeConfigs.GetProperty("configs").EnumerateArray());
        Assert.Equal("kernel.sysctl", config.GetProperty("model").GetString());
        var content = Assert.Single(config.GetProperty("contents").EnumerateArray());
        Assert.Equal("net.ipv4.ip_forward", content.GetProperty("key").GetString());
        Assert.Equal("1", content.GetProperty("value").GetString());
    }

    [Fact]
    public void Config_settings_keep_ordered_models_and_turn_operation_tables_into_deletes()
    {
        var result = _ps.Run("""
            ConvertTo-KubeOSManifest -Name tuning -OpsType config -Version 'KubeOS 1.0.2' -SysConfigVersion v2 -AsJson -SysConfig ([ordered]@{
                'kernel.sysctl.persist' = @{ 'net.core.somaxconn' = '65535' }
                'kernel.sysctl'         = [ordered]@{ 'kernel.pid_max' = '4194304'; 'vm.swappiness' = @{ operation = 'delete' } }
            })
            """);

        Assert.True(result.Terminating is null, result.ToString());
        using var json = JsonDocument.Parse((string)Assert.Single(result.Output).BaseObject);
        var spec = json.RootElement.GetProperty("spec");
        Assert.Equal("", spec.GetProperty("imagetype").GetString());
        var configs = spec.GetProperty("sysconfigs").GetProperty("configs").EnumerateArray().ToList();
        Assert.Equal(["kernel.sysctl.persist", "kernel.sysctl"], configs.Select(c => c.GetProperty("model").GetString()));
        var delete = configs[1].GetProperty("contents").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "vm.swappiness");
        Assert.Equal("delete", delete.GetProperty("operation").GetString());
        Assert.False(delete.TryGetProperty("value", out _));
    }

    [Fact]
    public void An_invalid_combination_is_one_terminating_error_naming_each_field_and_parameter()
    {
        var record = _ps.Catch("ConvertTo-KubeOSManifest -Name broken -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk -Checksum abc; 'not reached'");

        Assert.NotNull(record);
        Assert.Equal($"InvalidManifestParameter,{CmdletId}", record!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        var message = record.Exception.Message;
        Assert.Contains("spec.imageurl", message);
        Assert.Contains("-ImageUrl", message);
        Assert.Contains("spec.checksum", message);
        Assert.Contains("-Checksum", message);
    }

    [Fact]
    public void Settings_without_a_version_are_a_ParameterConflict()
    {
        var record = _ps.Catch("ConvertTo-KubeOSManifest -Name tuning -OpsType config -Version 'KubeOS 1.0' -SysConfig @{ 'kernel.sysctl' = @{ 'vm.swappiness' = '10' } }");

        Assert.Equal($"ParameterConflict,{CmdletId}", record?.FullyQualifiedErrorId);
        Assert.Contains("-SysConfigVersion", record!.Exception.Message);
    }

    [Fact]
    public void A_model_that_is_not_a_table_of_settings_is_InvalidSettings()
    {
        var record = _ps.Catch("ConvertTo-KubeOSManifest -Name tuning -OpsType config -Version 'KubeOS 1.0' -SysConfigVersion v1 -SysConfig @{ 'kernel.sysctl' = 'vm.swappiness=10' }");

        Assert.Equal($"InvalidSettings,{CmdletId}", record?.FullyQualifiedErrorId);
        Assert.Contains("'kernel.sysctl'", record!.Exception.Message);
        Assert.IsNotAssignableFrom<RuntimeException>(record.Exception);
    }

    [Fact]
    public void An_unknown_OpsType_is_refused_by_parameter_binding()
    {
        var record = _ps.Catch("ConvertTo-KubeOSManifest -Name x -OpsType reboot -Version 'KubeOS 1.0'");

        Assert.Equal($"ParameterArgumentValidationError,{CmdletId}", record?.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("ConvertTo-KubeOSManifest -OpsType ", new[] { "upgrade", "rollback", "config" })]
    [InlineData("ConvertTo-KubeOSManifest -ImageType ", new[] { "disk", "docker", "containerd" })]
    [InlineData("ConvertTo-KubeOSManifest -ExecutionMode s", new[] { "serial" })]
    public void Tab_completion_offers_the_allowed_values(string input, string[] expected)
    {
        var result = _ps.Run("(TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText",
            new() { ["Line"] = input });

        Assert.Equal(expected.Order(), result.Output.Select(o => o.ToString()).Order());
    }
}
