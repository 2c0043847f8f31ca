using System.Text.RegularExpressions;
using KubeOS.ImageBuilder.Tests.Support;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// The files every image of the test carries, and the kbimg TOML of each version. Every image is a whole node: the
/// agent, the proxy and its credentials, the kubelet stand-in, networking and sshd — so an upgraded root comes back
/// as the same node, as on a real fleet where the node identity and credentials ride along with the image.
/// </summary>
public sealed class GuestImageSet
{
    public const string NodeName = "kubeos-vm";
    public const string NodeSelector = "vm";
    public const int ApiGuestPort = 6443;

    private readonly string _assets;

    public GuestImageSet(string assets) => _assets = assets;

    public string SshKeyPath => Path.Combine(_assets, "id_ed25519");

    /// <summary>Writes the node's identity, the API server's CA and token, the units and the SSH key.</summary>
    public async Task WriteAsync(string sandboxKubeconfig, string agentBinary, string proxyDirectory)
    {
        Directory.CreateDirectory(_assets);
        var kubeconfig = await File.ReadAllTextAsync(sandboxKubeconfig);
        var caData = Regex.Match(kubeconfig, @"certificate-authority-data:\s*(\S+)").Groups[1].Value;
        var token = Regex.Match(kubeconfig, @"token:\s*(\S+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(caData) || string.IsNullOrEmpty(token), "the sandbox kubeconfig has no CA data or token");

        File.Copy(agentBinary, Path.Combine(_assets, "os-agent"), overwrite: true);
        await HostProcess.CheckedAsync("cp", "-a", "--no-target-directory", proxyDirectory, Path.Combine(_assets, "os-proxy"));

        // The certificate names 127.0.0.1 and localhost; the guest reaches the API server at another address, so
        // clients keep "localhost" as the TLS name (tls-server-name, curl --connect-to).
        var etc = Path.Combine(_assets, "kubeos");
        Directory.CreateDirectory(etc);
        await File.WriteAllTextAsync(Path.Combine(etc, "node.env"),
            $"NODE_NAME={NodeName}\nNODE_SELECTOR={NodeSelector}\nAPI_HOST=localhost:{ApiGuestPort}\nAPI_ADDR={GuestVm.HostAddress}:{ApiGuestPort}\n");
        await File.WriteAllBytesAsync(Path.Combine(etc, "ca.crt"), Convert.FromBase64String(caData));
        await File.WriteAllTextAsync(Path.Combine(etc, "token"), token);
        await File.WriteAllTextAsync(Path.Combine(etc, "kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: https://{GuestVm.HostAddress}:{ApiGuestPort}
                certificate-authority-data: {caData}
                tls-server-name: localhost
            users:
            - name: node
              user:
                token: {token}
            contexts:
            - name: node
              context: {"{"}cluster: sandbox, user: node{"}"}
            current-context: node

            """);

        foreach (var file in Directory.GetFiles(RepoPaths.GuestFiles))
            File.Copy(file, Path.Combine(_assets, Path.GetFileName(file)), overwrite: true);
        File.SetUnixFileMode(Path.Combine(_assets, "kubelet-standin.sh"), (UnixFileMode)0b111_101_101);

        var ssh = Path.Combine(_assets, ".ssh");
        Directory.CreateDirectory(ssh);
        File.SetUnixFileMode(ssh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!File.Exists(SshKeyPath))
            await HostProcess.CheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kubeos-vm-test", "-f", SshKeyPath);
        File.Copy(SshKeyPath + ".pub", Path.Combine(ssh, "authorized_keys"), overwrite: true);
        File.SetUnixFileMode(Path.Combine(ssh, "authorized_keys"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // An image whose init fails: switch-root runs the new root's systemd binary (not /sbin/init), so that is what
        // is replaced; PID 1 exits, the kernel panics ("Attempted to kill init") and panic=3 resets the machine.
        await File.WriteAllTextAsync(Path.Combine(_assets, "break-init.sh"),
            "#!/bin/bash\nset -e\nsystemd=$(readlink -f /usr/lib/systemd/systemd)\nrm -f \"$systemd\"\n" +
            "printf '#!/bin/sh\\necho KUBEOS-BROKEN-INIT > /dev/console\\nexit 1\\n' > \"$systemd\"\nchmod 755 \"$systemd\"\n");
    }

    /// <summary>The TOML of one version; <paramref name="brokenInit"/> makes a root that never comes up.</summary>
    public string WriteToml(string version, bool brokenInit = false)
    {
        var path = Path.Combine(_assets, $"node-{version}{(brokenInit ? "-broken" : "")}.toml");
        File.WriteAllText(path, $"""
            [from_repo]
            version = "{version}"
            agent_path = "os-agent"
            rpmlist = ["openssh-server", "curl", "jq"]
            root_passwd = "$6$kubeos$WcQ3LX3NAo3nRn1Z0lbgJ6n4QqV4c5i6k0o7xJ8Xy2ZuKJ5bS7o6mOaQeYj3K0c9v8fQm1gWlW3yTqS0aL9eN."
            upgrade_img = "kubeos/os:{version}"
            legacy_bios = true

            [[copy_files]]
            src = "os-proxy"
            dst = "/opt/kubeos/"
            create_dir = true

            [[copy_files]]
            src = "kubeos"
            dst = "/etc/"

            [[copy_files]]
            src = "kubelet-standin.sh"
            dst = "/usr/lib/kubeos/"
            create_dir = true

            [[copy_files]]
            src = "kubeos-kubelet.service"
            dst = "/etc/systemd/system/"

            [[copy_files]]
            src = "os-proxy.service"
            dst = "/etc/systemd/system/"

            [[copy_files]]
            src = "20-wired.network"
            dst = "/etc/systemd/network/"
            create_dir = true

            [[copy_files]]
            src = ".ssh"
            dst = "/root/"

            [systemd_service]
            name = ["kubeos-kubelet.service", "os-proxy.service", "systemd-networkd.service", "ssh.service"]
            {(brokenInit ? "\n[chroot_script]\npath = \"break-init.sh\"\nrm = true\n" : "")}
            [grub]
            cmdline = ["net.ifnames=0", "loglevel=4", "systemd.journald.forward_to_console=1", "systemd.journald.max_level_console=warning"]
            timeout = 0

            [disk_partition]
            root = 700
            img_size = 4

            [persist_mkdir]
            name = ["data"]
            """);
        return path;
    }
}
