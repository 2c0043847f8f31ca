using KubeOS.ImageBuilder.Tests.Support;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// The node's own programs as a node gets them: os-agent compiled NativeAOT (no runtime on the node), os-proxy
/// self-contained and ReadyToRun (no runtime in the image, little JIT under emulation).
/// </summary>
public static class GuestBinaries
{
    public static async Task<(string Agent, string ProxyDirectory)> PublishAsync(string directory)
    {
        var agentDir = Path.Combine(directory, "os-agent");
        var proxyDir = Path.Combine(directory, "os-proxy");
        await HostProcess.CheckedAsync("dotnet", "publish", Path.Combine(RepoPaths.Root, "src", "KubeOS.Agent"), "-c", "Release",
            "-r", "linux-x64", "-o", agentDir, "-nologo", "-v", "q");
        await HostProcess.CheckedAsync("dotnet", "publish", Path.Combine(RepoPaths.Root, "src", "KubeOS.Proxy"), "-c", "Release",
            "-r", "linux-x64", "--self-contained", "-p:PublishReadyToRun=true", "-p:InvariantGlobalization=true",
            "-o", proxyDir, "-nologo", "-v", "q");
        return (Path.Combine(agentDir, "os-agent"), proxyDir);
    }
}
