using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>What the test's kubelet does with an admin pod bound to one of its nodes.</summary>
public enum KubeletBehaviour
{
    /// <summary>Start the container with the pod's Secret and report Ready once sshd listens.</summary>
    Run,

    /// <summary>Start a container whose sshd has another host key than the Secret's (someone else answering on the port).</summary>
    RunWithForeignHostKey,

    /// <summary>Start a container that accepts some other login key than the one the cmdlet installed.</summary>
    RunWithForeignAuthorizedKey,

    /// <summary>Report the image as not pullable; the pod never gets Ready.</summary>
    FailImagePull,
}

/// <summary>
/// Plays the kubelet for the test's own nodes, which the sandbox's node simulator does not run (it makes the pods of
/// its nodes Ready at once, with nothing behind them). It watches the admin pods through the API, starts their
/// container with what the cmdlet put into the Secret, reports them Ready through the API, and stops the container when
/// the pod is deleted.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
public sealed class TestKubelet : IDisposable
{
    private readonly string _kubeconfig;
    private readonly HostPidNamespace _host;
    private readonly IReadOnlyDictionary<string, (string Address, KubeletBehaviour Behaviour)> _nodes;
    private readonly ConcurrentDictionary<string, AdminContainerProcess> _running = new();
    private readonly HashSet<string> _handled = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestKubelet(string kubeconfig, HostPidNamespace host, IReadOnlyDictionary<string, (string Address, KubeletBehaviour Behaviour)> nodes)
    {
        _kubeconfig = kubeconfig;
        _host = host;
        _nodes = nodes;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Containers started so far, by pod name; each stays listed after its pod is gone.</summary>
    public ConcurrentDictionary<string, AdminContainerProcess> Started { get; } = new();

    /// <summary>The Secret each started pod got from the cmdlet, before any test behaviour changed it.</summary>
    public ConcurrentDictionary<string, IReadOnlyDictionary<string, byte[]>> Secrets { get; } = new();

    /// <summary>Pods whose container this kubelet stopped because the pod was deleted.</summary>
    public ConcurrentBag<string> Stopped { get; } = [];

    public ConcurrentBag<string> Failures { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Reconcile();
            }
            catch (Exception ex)
            {
                Failures.Add(ex.ToString());
            }
            try
            {
                await Task.Delay(150, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Reconcile()
    {
        var pods = Kubectl("get", "pods", "-A", "-l", "app.kubernetes.io/managed-by=KubeOS.PowerShell", "-o", "json");
        var seen = new HashSet<string>();
        foreach (var pod in JsonNode.Parse(pods)!["items"]!.AsArray())
        {
            var name = (string)pod!["metadata"]!["name"]!;
            var ns = (string)pod["metadata"]!["namespace"]!;
            seen.Add(name);
            var node = (string?)pod["spec"]?["nodeName"];
            if (node is null || !_nodes.TryGetValue(node, out var served) || _handled.Contains(name)) continue;
            if (Start(pod, ns, name, served.Address, served.Behaviour)) _handled.Add(name);
        }
        foreach (var name in _running.Keys.Where(n => !seen.Contains(n)).ToList())
        {
            if (_running.TryRemove(name, out var container))
            {
                container.Dispose();
                Stopped.Add(name);
            }
        }
    }

    private bool Start(JsonNode pod, string ns, string name, string address, KubeletBehaviour behaviour)
    {
        var container = pod["spec"]!["containers"]![0]!;
        if (behaviour == KubeletBehaviour.FailImagePull)
        {
            PatchStatus(ns, name, new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" },
                    new JsonObject
                    {
                        ["type"] = "Ready", ["status"] = "False", ["reason"] = "ContainersNotReady", ["lastTransitionTime"] = "2026-01-01T00:00:01Z",
                        ["message"] = "containers with unready status: [admin]",
                    }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "admin", ["image"] = (string?)container["image"], ["imageID"] = "", ["ready"] = false, ["restartCount"] = 0,
                    ["state"] = new JsonObject
                    {
                        ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = $"Back-off pulling image \"{container["image"]}\"" },
                    },
                }),
            });
            return true;
        }
        var secretName = (string)pod["spec"]!["volumes"]![0]!["secret"]!["secretName"]!;
        var secretJson = TryKubectl("get", "secret", "-n", ns, secretName, "-o", "json");
        if (secretJson is null) return false; // the cmdlet creates the Secret right after the pod
        var secret = JsonNode.Parse(secretJson)!["data"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => Convert.FromBase64String((string)kv.Value!));
        Secrets[name] = new Dictionary<string, byte[]>(secret);
        if (behaviour == KubeletBehaviour.RunWithForeignHostKey)
        {
            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            secret["ssh_host_ecdsa_key"] = Encoding.ASCII.GetBytes(other.ExportECPrivateKeyPem() + "\n");
        }
        if (behaviour == KubeletBehaviour.RunWithForeignAuthorizedKey)
        {
            secret["authorized_keys"] = Encoding.ASCII.GetBytes(ForeignPublicKey() + "\n");
        }
        var command = container["command"]!.AsArray().Concat(container["args"]!.AsArray()).Select(a => (string)a!).ToList();
        var mountPath = (string)container["volumeMounts"]![0]!["mountPath"]!;
        var port = (int)container["ports"]![0]!["containerPort"]!;
        var process = new AdminContainerProcess(_host, command, mountPath, secret);
        _running[name] = process;
        Started[name] = process;
        if (!process.WaitListening(address, port, TimeSpan.FromSeconds(30)))
        {
            Failures.Add($"sshd of {name} did not listen on {address}:{port}: {process.Log}");
            return true;
        }
        PatchStatus(ns, name, new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = address,
            ["podIP"] = address,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        });
        return true;
    }

    private static string ForeignPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var folder = Directory.CreateTempSubdirectory("kubeos-foreign-key-").FullName;
        try
        {
            var path = Path.Combine(folder, "key");
            File.WriteAllText(path, key.ExportECPrivateKeyPem() + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return Run.Tool("ssh-keygen", "-y", "-f", path).Succeeded("ssh-keygen -y").StdOut.Trim();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private void PatchStatus(string ns, string name, JsonObject status) =>
        Kubectl("patch", "pod", "-n", ns, name, "--subresource=status", "--type=merge", "-p", new JsonObject { ["status"] = status }.ToJsonString());

    private string Kubectl(params string[] arguments) =>
        Run.Tool("kubectl", ["--kubeconfig", _kubeconfig, .. arguments], null).Succeeded($"kubectl {string.Join(' ', arguments)}").StdOut;

    private string? TryKubectl(params string[] arguments)
    {
        var result = Run.Tool("kubectl", ["--kubeconfig", _kubeconfig, .. arguments], null);
        return result.ExitCode == 0 ? result.StdOut : null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(10));
        foreach (var container in _running.Values) container.Dispose();
        _stop.Dispose();
    }
}
