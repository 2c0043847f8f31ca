using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.CustomResources;
using KubeOS.Sandbox.Http;
using KubeOS.Sandbox.Policy;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Security;
using KubeOS.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeOS.Sandbox;

/// <summary>
/// A running sandbox API server: HTTPS on 127.0.0.1 with a generated CA, bearer-token authentication and a
/// kubeconfig on disk. Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    /// <summary>Namespaces that exist in a fresh cluster.</summary>
    public static readonly IReadOnlyList<string> InitialNamespaces =
        ["default", "kube-system", "kube-public", "kube-node-lease", "upgrade-system"];

    private readonly WebApplication _app;
    private readonly ClusterCertificates _certificates;
    private readonly string? _ownedDirectory;

    public Uri Endpoint { get; }
    public string KubeconfigPath { get; }
    public X509Certificate2 CaCertificate => _certificates.CaCertificate;
    public string Token { get; }

    /// <summary>The cluster state, for in-process inspection (tests, benchmarks).</summary>
    public ResourceService Resources { get; }

    private SandboxServer(WebApplication app, ClusterCertificates certificates, Uri endpoint, string kubeconfigPath,
        string token, ResourceService resources, string? ownedDirectory)
    {
        _app = app;
        _certificates = certificates;
        Endpoint = endpoint;
        KubeconfigPath = kubeconfigPath;
        Token = token;
        Resources = resources;
        _ownedDirectory = ownedDirectory;
    }

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var certificates = ClusterCertificates.Generate(options.Clock);

        var store = new ObjectStore(options.EventHistory);
        var catalog = new ResourceCatalog(BuiltinResources.All);
        var service = new ResourceService(store, catalog, options.Clock);
        service.AddStrategy(BuiltinResources.Namespaces, new NamespaceStrategy());
        service.AddStrategy(BuiltinResources.Pods, new PodStrategy());
        service.AddStrategy(BuiltinResources.PodDisruptionBudgets, new PodDisruptionBudgetStrategy());
        service.AddStrategy(BuiltinResources.Secrets, new SecretStrategy());
        _ = new CrdController(service);
        _ = new DisruptionController(service);
        foreach (var ns in InitialNamespaces)
            service.Create(BuiltinResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificates.ServingCertificate));
        });
        var app = builder.Build();
        string address = "";
        var endpoints = new ResourceEndpoints(service, new EvictionService(service), options, app.Lifetime.ApplicationStopping);
        var router = new ApiRouter(catalog, endpoints, token, () => address);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("[::]", "127.0.0.1")).Port;
        address = $"127.0.0.1:{port}";
        var endpoint = new Uri($"https://127.0.0.1:{port}");

        string? owned = null;
        var kubeconfig = options.KubeconfigPath;
        if (kubeconfig is null)
        {
            owned = Directory.CreateTempSubdirectory("kubeos-sandbox-").FullName;
            kubeconfig = Path.Combine(owned, "kubeconfig");
        }
        KubeconfigWriter.Write(kubeconfig, endpoint, certificates.CaPem(), token);
        return new SandboxServer(app, certificates, endpoint, Path.GetFullPath(kubeconfig), token, service, owned);
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try { await _app.StopAsync(cts.Token); }
            catch (OperationCanceledException) { }
        }
        await _app.DisposeAsync();
        _certificates.Dispose();
        if (_ownedDirectory is not null)
        {
            try { Directory.Delete(_ownedDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}
