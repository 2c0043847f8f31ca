using k8s;
using KubeOS.Proxy.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// os-proxy: the per-node controller. One instance per node (DaemonSet), told its node by NODE_NAME.
var builder = Host.CreateApplicationBuilder(args);
var options = new ProxyOptions();
builder.Configuration.GetSection("Proxy").Bind(options);
if (options.NodeName.Length == 0) options.NodeName = builder.Configuration["NODE_NAME"] ?? "";
if (options.Problems() is { Count: > 0 } problems)
{
    foreach (var p in problems) Console.Error.WriteLine("os-proxy: " + p);
    return 2;
}

builder.Services.AddSingleton(Options.Create(options));
builder.Services.AddSingleton(TimeProvider.System);
KubernetesClientConfiguration kube;
try
{
    kube = KubeOS.Client.Configuration.KubeconfigFile.ForService(options.Kubeconfig);
}
catch (Exception e) when (KubeOS.Client.Configuration.KubeconfigFile.IsUnreadable(e))
{
    Console.Error.WriteLine($"os-proxy: cannot load the cluster configuration ({e.Message}); set Proxy__Kubeconfig to a kubeconfig file or run in a pod with a service account");
    return 2;
}
builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(kube));
builder.Services.AddHostedService<ProxyWorker>();

await builder.Build().RunAsync();
return 0;
