using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Manifests;

/// <summary>-MaxUnavailable as a percentage in ConvertTo-KubeOSManifest; an integer is written as KubeOS writes it.</summary>
public sealed class PercentMaxUnavailableTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    private static string Manifest(string max) =>
        "ConvertTo-KubeOSManifest -Name os-v2 -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk -ImageUrl https://images.example/u.img " +
        $"-CaCert ca.crt -Checksum {new string('a', 64)} -MaxUnavailable {max}";

    [Theory]
    [InlineData("'25%'", "maxunavailable: 25%")]
    [InlineData("3", "maxunavailable: 3")]
    public void The_manifest_carries_the_percentage_or_the_integer_and_passes_Test_KubeOSManifest(string max, string line)
    {
        var result = _ps.Run($"$m = {Manifest(max)}; $m; $m | Test-KubeOSManifest -Quiet");
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Contains(line, result.Output[0].ToString().Split('\n').Select(l => l.Trim()));
        Assert.Equal(true, result.Output[1].BaseObject);
    }

    [Fact]
    public void A_value_that_is_neither_names_the_parameter()
    {
        var error = _ps.Catch(Manifest("half"));
        Assert.Contains("-MaxUnavailable: 'half' is neither a number of nodes nor a percentage", error!.Exception.Message);
        Assert.StartsWith("InvalidRolloutParameter", error.FullyQualifiedErrorId);
    }
}
