using Microsoft.Extensions.Hosting;

namespace KubeOS.Operator.Hosting;

/// <summary>Runs the operator for the lifetime of the host; stopping the host releases the lease.</summary>
public sealed class OperatorWorker(OperatorRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runtime.RunAsync(stoppingToken);
}
