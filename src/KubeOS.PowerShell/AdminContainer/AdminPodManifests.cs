using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Builds the session's Pod and Secret from the manifests shipped in module/deploy/admin-container (embedded in the
/// module), filling in only what differs per session: names, node, image, port and the Secret's contents.
/// </summary>
public static class AdminPodManifests
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string NameLabelValue = "kubeos-admin-container";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByLabelValue = "KubeOS.PowerShell";

    /// <summary>The full node name (labels are limited to 63 characters, node names are not).</summary>
    public const string NodeAnnotation = "kubeos.io/admin-node";

    /// <summary>Selects every pod and Secret the module created, for listing leftovers.</summary>
    public const string Selector = $"{NameLabel}={NameLabelValue},{ManagedByLabel}={ManagedByLabelValue}";

    public const string DefaultImage = "kubeos/admin-container:latest";
    public const string DefaultNamespace = "kube-system";
    public const int DefaultPort = 2222;
    private const string VolumeName = "session";

    public static string Manifest(string fileName)
    {
        var resource = $"KubeOS.AdminContainer.{fileName}";
        using var stream = typeof(AdminPodManifests).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The module is missing its embedded manifest {resource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>kubeos-admin-&lt;node&gt;-&lt;5 random characters&gt;, cut to stay a valid pod name.</summary>
    public static string NewName(string node)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var suffix = new string(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
        var stem = $"kubeos-admin-{node}".ToLowerInvariant();
        stem = stem.Length > 56 ? stem[..56] : stem;
        return $"{stem.TrimEnd('-', '.')}-{suffix}";
    }

    public static V1Pod Pod(string name, string @namespace, string node, string image, int port)
    {
        var pod = KubernetesYaml.Deserialize<V1Pod>(Manifest("pod.yaml"));
        pod.Metadata.Name = name;
        pod.Metadata.NamespaceProperty = @namespace;
        Annotate(pod.Metadata, node);
        pod.Spec.NodeName = node;
        var container = pod.Spec.Containers.Single();
        container.Image = image;
        foreach (var containerPort in container.Ports ?? [])
        {
            containerPort.ContainerPort = port;
            containerPort.HostPort = port;
        }
        container.ReadinessProbe.TcpSocket.Port = port;
        pod.Spec.Volumes.Single(v => v.Name == VolumeName).Secret.SecretName = name;
        return pod;
    }

    /// <summary>The Secret for <paramref name="pod"/>, owned by it so that the cluster deletes it with the pod.</summary>
    public static V1Secret Secret(V1Pod pod, string node, string sshdConfig, string hostKeyPem, string authorizedKey)
    {
        var secret = KubernetesYaml.Deserialize<V1Secret>(Manifest("secret.yaml"));
        secret.Metadata.Name = pod.Metadata.Name;
        secret.Metadata.NamespaceProperty = pod.Metadata.NamespaceProperty;
        Annotate(secret.Metadata, node);
        secret.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
        ];
        // Sent as data rather than stringData: the API server stores both the same way, but not every server (the
        // sandbox among them) folds stringData into data.
        secret.StringData = null;
        secret.Data = new Dictionary<string, string>
        {
            [SessionFiles.SshdConfig] = sshdConfig,
            [SessionFiles.HostKey] = hostKeyPem.EndsWith('\n') ? hostKeyPem : hostKeyPem + "\n",
            [SessionFiles.AuthorizedKeys] = authorizedKey.TrimEnd() + "\n",
            [SessionFiles.HostShell] = SessionFiles.HostShellScript,
        }.ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value));
        return secret;
    }

    public static string? NodeOf(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(NodeAnnotation, out var node) == true ? node : null;

    private static void Annotate(V1ObjectMeta metadata, string node)
    {
        metadata.Annotations ??= new Dictionary<string, string>();
        metadata.Annotations[NodeAnnotation] = node;
    }
}
