using k8s;
using KubeOS.Operator;
using KubeOS.Operator.Hosting;
using KubeOS.Operator.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// os-operator: the rollout controller. One active replica (leader election), deployed as upgrade-operator.
var builder = Host.CreateApplicationBuilder(args);
var options = new OperatorOptions();
builder.Configuration.GetSection("Operator").Bind(options);
if (options.Problems() is { Count: > 0 } problems)
{
    foreach (var p in problems) Console.Error.WriteLine("os-operator: " + p);
    return 2;
}

KubernetesClientConfiguration kube;
try
{
    kube = KubeOS.Client.Configuration.KubeconfigFile.ForService(options.Kubeconfig);
}
catch (Exception e) when (KubeOS.Client.Configuration.KubeconfigFile.IsUnreadable(e))
{
    Console.Error.WriteLine($"os-operator: cannot load the cluster configuration ({e.Message}); set Operator__Kubeconfig to a kubeconfig file or run in a pod with a service account");
    return 2;
}

// Structured logs: one JSON object per line, UTC timestamps, scopes and message template arguments as fields.
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o =>
{
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    o.IncludeScopes = true;
});
// The process-wide registry: /metrics then also carries the process_* and dotnet_* figures (memory, CPU, GC).
var metrics = new OperatorMetrics(Prometheus.Metrics.DefaultRegistry);
builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(kube, new ApiRequestCounter(metrics)));
builder.Services.AddSingleton(sp => new OperatorRuntime(sp.GetRequiredService<IKubernetes>(), options, sp.GetRequiredService<ILoggerFactory>(), metrics: metrics));
builder.Services.AddHostedService<OperatorWorker>();
builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(8));

await builder.Build().RunAsync();
return 0;
