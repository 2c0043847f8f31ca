using System.Text;

namespace KubeOS.Sandbox.Security;

/// <summary>Writes the kubeconfig clients use: the sandbox cluster, a token user and the current context.</summary>
public static class KubeconfigWriter
{
    public const string ContextName = "kubeos-sandbox";

    public static string Render(Uri server, string caPem, string token) =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {ContextName}
          cluster:
            server: {server.ToString().TrimEnd('/')}
            certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}
        users:
        - name: {ContextName}
          user:
            token: {token}
        contexts:
        - name: {ContextName}
          context:
            cluster: {ContextName}
            user: {ContextName}
            namespace: default
        current-context: {ContextName}
        preferences: {"{}"}

        """;

    public static void Write(string path, Uri server, string caPem, string token)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(path, Render(server, caPem, token));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
