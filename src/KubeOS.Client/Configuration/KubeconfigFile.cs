using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace KubeOS.Client.Configuration;

/// <summary>
/// Reads one kubeconfig file. KubernetesClient's own reader goes through its resource-model YAML set-up, which
/// inspects every Kubernetes model type before it reads a line: about 0.4 s on a server and over 10 s on a slow node,
/// paid by every os-proxy start before the node can report back from a reboot. The kubeconfig models carry their YAML
/// names, so a plain deserializer reads the same file into the same objects.
/// </summary>
public static class KubeconfigFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().WithAttemptingUnquotedStringTypeDeserialization().Build();

    /// <summary>The file's contents; relative certificate and key paths in it resolve against its folder, as kubectl's do.</summary>
    public static K8SConfiguration Load(string path)
    {
        var full = Path.GetFullPath(path);
        var config = Yaml.Deserialize<K8SConfiguration?>(File.ReadAllText(full))
            ?? throw new k8s.Exceptions.KubeConfigException($"kubeconfig file {full} is empty");
        config.FileName = full;
        return config;
    }

    /// <summary>Client settings for the file's current context.</summary>
    public static KubernetesClientConfiguration BuildConfig(string path) =>
        KubernetesClientConfiguration.BuildConfigFromConfigObject(Load(path));

    /// <summary>
    /// A service's client settings (os-operator, os-proxy): the named kubeconfig file, else the pod's service account,
    /// else the default kubeconfig.
    /// </summary>
    public static KubernetesClientConfiguration ForService(string kubeconfigPath) =>
        kubeconfigPath.Length > 0 ? BuildConfig(kubeconfigPath)
        : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
        : KubernetesClientConfiguration.BuildDefaultConfig();

    /// <summary>Whether <paramref name="e"/> says the configuration cannot be read or used, which is the user's to fix.</summary>
    public static bool IsUnreadable(Exception e) =>
        e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException;
}
