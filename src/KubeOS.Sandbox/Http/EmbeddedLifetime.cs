using Microsoft.Extensions.Hosting;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// A host lifetime that leaves SIGTERM and Ctrl+C alone: the server is embedded (tests, the PowerShell module, the
/// standalone command), and whoever embeds it decides when it stops.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
