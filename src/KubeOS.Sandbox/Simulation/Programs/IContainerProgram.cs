using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace KubeOS.Sandbox.Simulation.Programs;

/// <summary>
/// Code a simulated kubelet runs for a container whose image it knows, for as long as the container would run on a
/// real node. The program gets the pod, the container and the container's environment as a configuration (the
/// <c>Section__Key</c> variables bound as <c>Section:Key</c>, as .NET hosts read them).
/// </summary>
public interface IContainerProgram
{
    Task RunAsync(ContainerContext context, CancellationToken cancellationToken);
}

/// <summary>The images a simulated kubelet can run; every other container is only reported as running.</summary>
public interface IContainerProgramCatalog
{
    IContainerProgram? Find(string image);
}

public sealed record ContainerContext(V1Pod Pod, V1Container Container, IConfiguration Environment)
{
    public string NodeName => Pod.Spec.NodeName;
}
