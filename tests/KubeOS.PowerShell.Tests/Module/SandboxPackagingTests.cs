using System.Text.Json;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Module;

public sealed class SandboxPackagingTests
{
    private static readonly string SandboxFolder = Path.Combine(RepoPaths.ModuleFolder, "sandbox");

    [Fact]
    public void The_module_folder_ships_the_sandbox_with_its_own_dependencies()
    {
        foreach (var file in new[] { "kubeos-sandbox.dll", "kubeos-sandbox.deps.json", "kubeos-sandbox.runtimeconfig.json", "KubeOS.Api.dll", "KubernetesClient.dll" })
        {
            Assert.True(File.Exists(Path.Combine(SandboxFolder, file)), $"{file} is missing from {SandboxFolder}");
        }
        // The module itself never loads the sandbox.
        Assert.False(File.Exists(Path.Combine(RepoPaths.ModuleFolder, "kubeos-sandbox.dll")));
    }

    [Fact]
    public void The_sandbox_targets_net8_and_rolls_forward_to_any_newer_runtime()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(SandboxFolder, "kubeos-sandbox.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions");

        Assert.Equal("LatestMajor", options.GetProperty("rollForward").GetString());
        Assert.Equal("net8.0", options.GetProperty("tfm").GetString());
    }
}
