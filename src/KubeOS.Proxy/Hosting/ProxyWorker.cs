using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeOS.Proxy.Hosting;

/// <summary>Runs the node's <see cref="ProxyRuntime"/> for the lifetime of the host.</summary>
public sealed class ProxyWorker(IOptions<ProxyOptions> options, IKubernetes client, ILoggerFactory logs, TimeProvider clock) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new ProxyRuntime(client, options.Value, logs, clock).RunAsync(stoppingToken);
}
