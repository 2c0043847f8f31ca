using k8s;
using KubeOS.Operator;
using KubeOS.Operator.Hosting;
using KubeOS.Proxy;
using KubeOS.Proxy.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeOS.Sandbox.Simulation.Programs;

/// <summary>
/// The KubeOS images the sandbox runs for real: a pod whose container image is named <c>os-operator</c> runs the
/// operator, one named <c>os-proxy</c> runs the proxy of its node (any registry, tag or digest). So applying the
/// deployment manifests (or Install-KubeOSOperator) to the sandbox brings the same components up as on a cluster.
/// They reach the API server through the sandbox's kubeconfig, and a proxy reaches its node's simulated os-agent where
/// the real one would find /run/os-agent/os-agent.sock.
/// </summary>
public sealed class KubeOSComponents(string kubeconfigPath, Func<string, string> agentSocketOfNode, ILoggerFactory? logs = null) : IContainerProgramCatalog
{
    public const string OperatorImageName = "os-operator";
    public const string ProxyImageName = "os-proxy";

    /// <summary>
    /// The longest wait between two looks of a proxy at its node. Simulated nodes prepare and reboot in seconds,
    /// so the production default (15 s) would only add idle time.
    /// </summary>
    public TimeSpan ProxyPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    private ILoggerFactory Logs => logs ?? NullLoggerFactory.Instance;

    private string AgentSocket(string node) => agentSocketOfNode(node);

    public IContainerProgram? Find(string image) => ImageName(image) switch
    {
        OperatorImageName => new OperatorProgram(this),
        ProxyImageName => new ProxyProgram(this),
        _ => null,
    };

    /// <summary>The last path segment of an image reference without tag or digest: registry.example:5000/kubeos/os-proxy:v2 → os-proxy.</summary>
    public static string ImageName(string image)
    {
        var name = image.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash) name = name[..colon];
        return name[(slash + 1)..];
    }

    private Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));

    private sealed class OperatorProgram(KubeOSComponents owner) : IContainerProgram
    {
        public async Task RunAsync(ContainerContext context, CancellationToken cancellationToken)
        {
            var options = new OperatorOptions();
            context.Environment.GetSection("Operator").Bind(options);
            // What the process would read from POD_NAME/POD_NAMESPACE; in-process there is one environment for all pods.
            if (options.Identity.Length == 0) options.Identity = context.Environment["POD_NAME"] ?? context.Pod.Metadata.Name;
            if (options.LeaseNamespace.Length == 0) options.LeaseNamespace = context.Environment["POD_NAMESPACE"] ?? context.Pod.Metadata.NamespaceProperty;
            // Pods here share the host's network: two replicas (or two sandboxes) would fight over one metrics port.
            options.MetricsPort = 0;
            if (options.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join("; ", problems));
            using var client = owner.Client();
            await new OperatorRuntime(client, options, owner.Logs).RunAsync(cancellationToken);
        }
    }

    private sealed class ProxyProgram(KubeOSComponents owner) : IContainerProgram
    {
        public async Task RunAsync(ContainerContext context, CancellationToken cancellationToken)
        {
            var options = new ProxyOptions();
            context.Environment.GetSection("Proxy").Bind(options);
            if (options.NodeName.Length == 0) options.NodeName = context.Environment["NODE_NAME"] ?? "";
            options.AgentSocket = owner.AgentSocket(context.NodeName);
            options.MetricsPort = 0;
            if (options.PollInterval > owner.ProxyPollInterval) options.PollInterval = owner.ProxyPollInterval;
            using var client = owner.Client();
            await new ProxyRuntime(client, options, owner.Logs).RunAsync(cancellationToken);
        }
    }
}
