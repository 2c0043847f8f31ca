using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Crds;
using KubeOS.Api.Models;
using KubeOS.Client.Configuration;
using KubeOS.Client.Http;
using KubeOS.Client.Resources;

namespace KubeOS.Client;

/// <summary>
/// A connection to one cluster with the KubeOS calls the cmdlets need: nodes, OS and OSInstance objects, and
/// installing the KubeOS CRDs. Every failed call surfaces as <see cref="ClusterApiException"/>.
/// </summary>
public sealed class KubeOSCluster : IDisposable
{
    private readonly Kubernetes _client;

    private KubeOSCluster(ClusterTarget target, Kubernetes client)
    {
        Target = target;
        _client = client;
        OS = new CustomResourceClient<OS>(client, WellKnown.Group, WellKnown.Version, WellKnown.OSPlural, Server);
        OSInstances = new CustomResourceClient<OSInstance>(client, WellKnown.Group, WellKnown.Version, WellKnown.OSInstancePlural, Server);
    }

    /// <summary>Connects to <paramref name="target"/>; <paramref name="onApiCall"/> hears about every request.</summary>
    public static KubeOSCluster Connect(ClusterTarget target, Action<string>? onApiCall = null)
    {
        var client = onApiCall is null
            ? new Kubernetes(target.Settings)
            : new Kubernetes(target.Settings, new ApiCallReporter(onApiCall));
        return new KubeOSCluster(target, client);
    }

    public ClusterTarget Target { get; }

    public string Server => Target.Server;

    /// <summary>The underlying client, for calls this class does not wrap.</summary>
    public IKubernetes Client => _client;

    public CustomResourceClient<OS> OS { get; }

    public CustomResourceClient<OSInstance> OSInstances { get; }

    public Task<VersionInfo> GetServerVersionAsync(CancellationToken cancellationToken = default) =>
        Call("get the server version", () => _client.Version.GetCodeAsync(cancellationToken));

    public async Task<IReadOnlyList<V1Node>> ListNodesAsync(CancellationToken cancellationToken = default)
    {
        var list = await Call("list nodes", () => _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        return list.Items?.ToList() ?? [];
    }

    /// <summary>
    /// Every OSInstance (KubeOS keeps them in namespace default), or null when the cluster does not serve the
    /// OSInstance resource because the KubeOS CRDs are not installed.
    /// </summary>
    public async Task<IReadOnlyList<OSInstance>?> ListOSInstancesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await OSInstances.ListAsync(WellKnown.OSInstanceNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the KubeOS CRDs, or updates them to this version, and waits until the API serves them.</summary>
    public async Task ApplyCustomResourceDefinitionsAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var crds = CustomResourceDefinitions.All.Values.Select(yaml => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml)).ToList();
        foreach (var crd in crds)
        {
            await CreateOrReplaceAsync(crd, cancellationToken).ConfigureAwait(false);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        foreach (var crd in crds)
        {
            while (!await IsEstablishedAsync(crd.Metadata.Name, deadline.Token).ConfigureAwait(false))
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The CRD {crd.Metadata.Name} was not Established within {timeout.TotalSeconds:0} s on {Server}.");
                }
            }
        }
    }

    private async Task CreateOrReplaceAsync(V1CustomResourceDefinition crd, CancellationToken cancellationToken)
    {
        try
        {
            await Call($"create the CRD {crd.Metadata.Name}",
                () => _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (ClusterApiException ex) when (ex.IsConflict)
        {
            var existing = await Call($"read the CRD {crd.Metadata.Name}",
                () => _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            crd.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await Call($"update the CRD {crd.Metadata.Name}",
                () => _client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsEstablishedAsync(string name, CancellationToken cancellationToken)
    {
        var crd = await Call($"read the CRD {name}",
            () => _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
    }

    private async Task<T> Call<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, operation, Server) is ClusterApiException wrapped)
        {
            throw wrapped;
        }
    }

    public void Dispose() => _client.Dispose();
}
