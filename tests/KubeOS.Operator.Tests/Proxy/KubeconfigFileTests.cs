using System.Text.Json;
using k8s;
using k8s.Exceptions;
using KubeOS.Client.Configuration;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>The proxy's and operator's kubeconfig reader against KubernetesClient's own, field by field.</summary>
public sealed class KubeconfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    private const string Everything = """
        apiVersion: v1
        kind: Config
        current-context: ops
        preferences: {colors: true}
        clusters:
        - name: prod
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: certs/ca.crt
            tls-server-name: api.internal
            insecure-skip-tls-verify: false
            extensions:
            - name: client.authentication.k8s.io/exec
              extension: {audience: fleet}
        - name: lab
          cluster:
            server: https://lab:443
            certificate-authority-data: Zm9v
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            token: s3cr3t
            as: someone
            as-groups: [ops, dev]
        - name: robot
          user:
            client-certificate: robot.crt
            client-key-data: a2V5
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: get-token
              args: [--cluster, prod]
              env: [{name: REGION, value: eu}]
              installHint: install get-token
              provideClusterInfo: true
        contexts:
        - name: ops
          context: {cluster: prod, user: admin, namespace: kube-system}
        - name: lab
          context: {cluster: lab, user: robot}
        unknown-field: ignored
        """;

    [Fact]
    public void Reads_every_field_as_KubernetesClient_does()
    {
        var path = Write("config", Everything);

        var ours = KubeconfigFile.Load(path);
        var theirs = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

        Assert.Equal(JsonSerializer.Serialize(theirs), JsonSerializer.Serialize(ours));
        Assert.Equal("s3cr3t", ours.Users.First().UserCredentials.Token);
        Assert.True(ours.Clusters.Last().ClusterEndpoint.SkipTlsVerify);
        Assert.Equal(["--cluster", "prod"], ours.Users.Last().UserCredentials.ExternalExecution.Arguments);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_file_and_the_current_context_is_used()
    {
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            current-context: here
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t0k3n}}]
            contexts: [{name: here, context: {cluster: c, user: u, namespace: team}}]
            """);

        var settings = KubeconfigFile.BuildConfig(Path.GetRelativePath(Environment.CurrentDirectory, path));

        Assert.Equal(path, KubeconfigFile.Load(path).FileName);
        Assert.Equal("https://127.0.0.1:6443", settings.Host.TrimEnd('/'));
        Assert.Equal("t0k3n", settings.AccessToken);
        Assert.Equal("team", settings.Namespace);
        Assert.True(settings.SkipTlsVerify);
    }

    [Fact]
    public void An_empty_file_is_refused_with_its_name()
    {
        var path = Write("empty", "");

        var error = Assert.Throws<KubeConfigException>(() => KubeconfigFile.Load(path));

        Assert.Contains(path, error.Message);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
