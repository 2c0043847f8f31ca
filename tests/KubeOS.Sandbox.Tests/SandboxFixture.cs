using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>One in-process sandbox shared by a test class; tests isolate themselves in their own namespaces.</summary>
public class SandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public IKubernetes Client { get; private set; } = null!;

    protected virtual SandboxOptions Options() => new();

    public virtual async ValueTask InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(Options());
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public virtual async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var ns = await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { GenerateName = prefix + "-" } });
        return ns.Metadata.Name;
    }

    /// <summary>An HttpClient trusting the sandbox CA, without credentials unless asked.</summary>
    public HttpClient RawHttp(bool authenticated = true)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Server.CaCertificate);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return cert is not null && chain.Build(cert);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = Server.Endpoint };
        if (authenticated) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        return http;
    }
}

/// <summary>A sandbox with a tiny event history and frequent bookmarks, for 410 and bookmark behaviour.</summary>
public sealed class SmallHistorySandboxFixture : SandboxFixture
{
    protected override SandboxOptions Options() => new()
    {
        EventHistory = 16,
        BookmarkInterval = TimeSpan.FromMilliseconds(300),
    };
}

public static class Api
{
    /// <summary>Runs a call expected to fail and returns the Status the server answered with.</summary>
    public static async Task<(int Code, V1Status Status)> FailureOf(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e)
        {
            var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
            return ((int)e.Response.StatusCode, status);
        }
        throw new Xunit.Sdk.XunitException("the call succeeded but a failure Status was expected");
    }

    public static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? data = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = data ?? new Dictionary<string, string> { ["k"] = "v" },
    };

    public static V1Pod Pod(string name, string? node = null, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }],
        },
    };

    /// <summary>Marks a pod Running and Ready through the status subresource, as a kubelet would.</summary>
    public static async Task<V1Pod> MakeReadyAsync(IKubernetes client, V1Pod pod)
    {
        var current = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        current.Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            ContainerStatuses = [new V1ContainerStatus { Name = "app", Image = "registry.example/app:1", ImageID = "", Ready = true, RestartCount = 0 }],
        };
        return await client.CoreV1.ReplaceNamespacedPodStatusAsync(current, current.Metadata.Name, current.Metadata.NamespaceProperty);
    }
}
