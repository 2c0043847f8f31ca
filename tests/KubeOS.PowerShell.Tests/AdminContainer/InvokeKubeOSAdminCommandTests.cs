using System.Management.Automation;
using System.Runtime.Versioning;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.AdminContainer;

[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
[Collection(AdminContainerCollection.Name)]
public sealed class InvokeKubeOSAdminCommandTests(AdminContainerFixture fixture)
{
    private const string Cmdlet = "KubeOS.PowerShell.AdminContainer.InvokeKubeOSAdminCommandCommand";
    private const string ShowNamespaces = "readlink /proc/self/ns/mnt /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net /proc/self/ns/pid";
    private readonly PowerShellSession _ps = fixture.Session;

    /// <summary>What a process in the host's namespaces shows: the runner's mnt, uts, ipc and net, and the host's PID namespace.</summary>
    private string[] HostNamespaces =>
        [.. new[] { "mnt", "uts", "ipc", "net" }.Select(kind => Run.Namespace("self", kind)), fixture.Host.PidNamespace];

    [Fact]
    public void The_command_runs_in_the_host_namespaces_not_in_the_containers_own()
    {
        var port = Run.FreePort();
        var result = _ps.Run("Invoke-KubeOSAdminCommand -Node kubeos-a -Command $Command -Port $Port -Timeout 30 -Verbose",
            new() { ["Command"] = ShowNamespaces + "; echo to-stderr >&2; exit 3", ["Port"] = port });

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, $"{result}\n{fixture.KubeletReport()}");
        var output = Assert.Single(result.Output);
        Assert.Equal("KubeOS.PowerShell.AdminCommandResult", output.BaseObject.GetType().FullName);
        Assert.Equal("kubeos-a", output.Properties["Node"].Value);
        Assert.Equal(3, output.Properties["ExitCode"].Value);
        Assert.Equal("to-stderr\n", output.Properties["Error"].Value);
        Assert.True((TimeSpan)output.Properties["Duration"].Value > TimeSpan.Zero);
        var seen = ((string)output.Properties["Output"].Value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(HostNamespaces, seen);

        // The container's sshd itself ran in namespaces of its own, as a container does, sharing only PID and network.
        var container = Assert.Single(fixture.Kubelet.Started, c => c.Key.StartsWith("kubeos-admin-kubeos-a-", StringComparison.Ordinal)
                                                                  && c.Value.Log.Contains($"port {port}", StringComparison.Ordinal)).Value;
        Assert.Contains("Accepted publickey for root", container.Log);
        Assert.NotEqual(Run.Namespace("self", "mnt"), container.MainNamespaces["mnt"]);
        Assert.NotEqual(Run.Namespace("self", "uts"), container.MainNamespaces["uts"]);
        Assert.Equal(Run.Namespace("self", "net"), container.MainNamespaces["net"]);
        Assert.Equal(fixture.Host.PidNamespace, container.MainNamespaces["pid"]);
        Assert.Contains(result.Verbose, v => v.Message.Contains("host key SHA256:", StringComparison.Ordinal) && v.Message.Contains("matches", StringComparison.Ordinal));

        // The host key the cmdlet pinned is the one it put into the Secret, as ssh-keygen fingerprints it.
        var secret = fixture.Kubelet.Secrets[fixture.Kubelet.Started.Single(c => c.Value == container).Key];
        var keyFile = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(keyFile, secret["ssh_host_ecdsa_key"]);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead);
            var fingerprint = Run.Tool("ssh-keygen", "-l", "-f", keyFile).Succeeded("ssh-keygen -l").StdOut.Split(' ')[1];
            Assert.Contains(result.Verbose, v => v.Message.Contains($"host key {fingerprint} matches", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(keyFile);
        }
        var sshdConfig = System.Text.Encoding.UTF8.GetString(secret["sshd_config"]);
        Assert.Contains($"Port {port}\n", sshdConfig);
        Assert.Contains("ListenAddress 127.0.0.2\n", sshdConfig);
        Assert.Contains("PasswordAuthentication no\n", sshdConfig);

        // The pod and its Secret are gone, and the kubelet stopped the container.
        Assert.DoesNotContain(fixture.Leftovers(), l => l.Contains("kubeos-a", StringComparison.Ordinal));
    }

    [Fact]
    public void Nodes_from_Get_KubeOSNode_bind_by_name_and_run_in_parallel()
    {
        // Each command waits for the other node's command to start: both finish with 0 only if they overlap in time.
        var meeting = Directory.CreateTempSubdirectory("kubeos-admin-meet-").FullName;
        try
        {
            var command = $"touch {meeting}/$(hostname)-$$; i=0; while [ $(ls {meeting} | wc -l) -lt 2 ]; do i=$((i+1)); [ $i -gt 150 ] && exit 7; sleep 0.1; done; readlink /proc/self/ns/mnt";
            var result = _ps.Run("Get-KubeOSNode -Name kubeos-a, kubeos-b | Invoke-KubeOSAdminCommand -Command $Command -Port $Port -ThrottleLimit 2 -Timeout 30",
                new() { ["Command"] = command, ["Port"] = Run.FreePort() });

            Assert.True(result.Errors.Count == 0 && result.Terminating is null, $"{result}\n{fixture.KubeletReport()}");
            Assert.Equal(["kubeos-a", "kubeos-b"], result.Output.Select(o => (string)o.Properties["Node"].Value).Order());
            Assert.All(result.Output, o =>
            {
                Assert.Equal(0, o.Properties["ExitCode"].Value);
                Assert.Equal(Run.Namespace("self", "mnt") + "\n", o.Properties["Output"].Value);
            });
            Assert.Equal(2, Directory.GetFiles(meeting).Length);
        }
        finally
        {
            Directory.Delete(meeting, recursive: true);
        }
        Assert.Empty(fixture.Leftovers());
    }

    [Fact]
    public void Each_failing_node_gives_its_own_error_and_the_others_still_run()
    {
        // The pod that never gets Ready has its own call with a short -Timeout; the others get a generous one.
        var result = _ps.Run("Invoke-KubeOSAdminCommand -Node kubeos-pullfail -Command 'echo ran' -Port $Port -Timeout 3; "
                             + "Invoke-KubeOSAdminCommand -Node kubeos-a, nowhere, kubeos-impostor, kubeos-badkey, debian-1 "
                             + "-Command 'echo ran' -Port $Port -Timeout 30 -ThrottleLimit 5; 'after'", new() { ["Port"] = Run.FreePort() });

        Assert.Null(result.Terminating);
        var ran = result.Output.Where(o => o.BaseObject is not string).ToList();
        Assert.True(ran.Count == 1, $"{result}\n{fixture.KubeletReport()}");
        Assert.Equal("kubeos-a", ran[0].Properties["Node"].Value);
        Assert.Equal("ran\n", ran[0].Properties["Output"].Value);
        Assert.Equal("after", result.Output.Last().BaseObject);

        var errors = result.Errors.ToDictionary(e => (string)e.TargetObject);
        Assert.Equal(["debian-1", "kubeos-badkey", "kubeos-impostor", "kubeos-pullfail", "nowhere"], errors.Keys.Order());
        Assert.All(errors.Values, e => Assert.EndsWith("," + Cmdlet, e.FullyQualifiedErrorId));

        Assert.StartsWith("NodeNotFound,", errors["nowhere"].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, errors["nowhere"].CategoryInfo.Category);

        Assert.StartsWith("NotKubeOSNode,", errors["debian-1"].FullyQualifiedErrorId);
        Assert.Contains("Debian GNU/Linux 12", errors["debian-1"].Exception.Message);
        Assert.Contains("-Force", errors["debian-1"].ErrorDetails.RecommendedAction);

        Assert.StartsWith("SshHostKeyMismatch,", errors["kubeos-impostor"].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, errors["kubeos-impostor"].CategoryInfo.Category);
        Assert.Matches("presented the host key ecdsa-sha2-nistp256 SHA256:\\S+, not ecdsa-sha2-nistp256 SHA256:\\S+", errors["kubeos-impostor"].Exception.Message);

        Assert.StartsWith("SshAuthenticationFailed,", errors["kubeos-badkey"].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, errors["kubeos-badkey"].CategoryInfo.Category);
        Assert.Contains("refused a key pair generated for this session", errors["kubeos-badkey"].Exception.Message);

        Assert.StartsWith("AdminPodNotReady,", errors["kubeos-pullfail"].FullyQualifiedErrorId);
        Assert.Contains("was not Ready within 3 s", errors["kubeos-pullfail"].Exception.Message);
        Assert.Contains("last condition: Ready=False (ContainersNotReady)", errors["kubeos-pullfail"].Exception.Message);
        Assert.Contains("container admin waiting: ImagePullBackOff", errors["kubeos-pullfail"].Exception.Message);

        // Every pod that was created is gone again, also those of the failed nodes.
        Assert.Empty(fixture.Leftovers());
        var impostor = Assert.Single(fixture.Kubelet.Started, c => c.Key.Contains("kubeos-impostor", StringComparison.Ordinal) && c.Value.MainPid is not null);
        Assert.True(fixture.ContainerStopped(impostor.Key));
    }

    [Fact]
    public void Force_deploys_to_a_node_that_is_not_a_KubeOS_node()
    {
        var result = _ps.Run("Invoke-KubeOSAdminCommand -Node debian-1 -Command 'readlink /proc/self/ns/mnt' -Force -Port $Port -Timeout 30 -Verbose",
            new() { ["Port"] = Run.FreePort() });

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, $"{result}\n{fixture.KubeletReport()}");
        Assert.Equal(Run.Namespace("self", "mnt") + "\n", Assert.Single(result.Output).Properties["Output"].Value);
        Assert.Contains(result.Verbose, v => v.Message.Contains("is not a KubeOS node", StringComparison.Ordinal));
    }

    [Fact]
    public void The_callers_own_key_is_installed_and_used()
    {
        var folder = Directory.CreateTempSubdirectory("kubeos-admin-key-").FullName;
        try
        {
            var key = Path.Combine(folder, "id_ed25519");
            Run.Tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@example", "-f", key).Succeeded("ssh-keygen");
            var port = Run.FreePort();
            var result = _ps.Run("Invoke-KubeOSAdminCommand -Node kubeos-b -Command 'echo ok' -KeyPath $Key -Port $Port -Timeout 30",
                new() { ["Key"] = key, ["Port"] = port });

            Assert.True(result.Errors.Count == 0 && result.Terminating is null, $"{result}\n{fixture.KubeletReport()}");
            Assert.Equal("ok\n", Assert.Single(result.Output).Properties["Output"].Value);
            var container = Assert.Single(fixture.Kubelet.Started, c => c.Value.Log.Contains($"port {port}", StringComparison.Ordinal)).Value;
            var fingerprint = Run.Tool("ssh-keygen", "-l", "-f", key + ".pub").Succeeded("ssh-keygen -l").StdOut.Split(' ')[1];
            Assert.Contains($"Accepted publickey for root from 127.0.0.1 port", container.Log);
            Assert.Contains($"ED25519 {fingerprint}", container.Log);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_public_key_that_does_not_belong_to_the_private_key_is_refused_and_a_bad_key_file_is_named()
    {
        var folder = Directory.CreateTempSubdirectory("kubeos-admin-key-").FullName;
        try
        {
            var key = Path.Combine(folder, "mine");
            var other = Path.Combine(folder, "other");
            Run.Tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).Succeeded("ssh-keygen");
            Run.Tool("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other).Succeeded("ssh-keygen");
            var notAKey = Path.Combine(folder, "notes.txt");
            File.WriteAllText(notAKey, "not a key\n");

            var mismatch = _ps.Run("Invoke-KubeOSAdminCommand -Node kubeos-b -Command true -KeyPath $Key -PublicKeyPath $Other -Port $Port -Timeout 30",
                new() { ["Key"] = key, ["Other"] = other + ".pub", ["Port"] = Run.FreePort() });
            var unreadable = _ps.Catch("Invoke-KubeOSAdminCommand -Node kubeos-b -Command true -KeyPath $Key", new() { ["Key"] = notAKey });

            var error = Assert.Single(mismatch.Errors);
            Assert.Equal("SshAuthenticationFailed," + Cmdlet, error.FullyQualifiedErrorId);
            Assert.Contains($"refused the key {key}", error.Exception.Message);
            Assert.Equal("KeyFileUnreadable," + Cmdlet, unreadable?.FullyQualifiedErrorId);
            Assert.Contains($"Cannot read the private key '{notAKey}'", unreadable!.Exception.Message);
            Assert.Empty(fixture.Leftovers());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_public_key_without_its_private_key_is_refused_before_anything_is_created()
    {
        var error = _ps.Catch("Invoke-KubeOSAdminCommand -Node kubeos-a -Command true -PublicKeyPath ./id.pub");

        Assert.Equal("ParameterConflict," + Cmdlet, error?.FullyQualifiedErrorId);
        Assert.Contains("-PublicKeyPath needs -KeyPath", error!.Exception.Message);
        Assert.Empty(fixture.Leftovers());
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        var before = fixture.Kubelet.Started.Count;
        var result = _ps.Run("Invoke-KubeOSAdminCommand -Node kubeos-a, kubeos-b -Command 'touch /tmp/never' -WhatIf; "
                             + "Enter-KubeOSAdminContainer -Node kubeos-a -WhatIf");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Contains("What if: Performing the operation \"Run 'touch /tmp/never' in the host namespaces through a new admin container (pod in kube-system, image kubeos/admin-container:latest)\" on target \"kubeos-b\".", result.HostText);
        Assert.Contains("What if: Performing the operation \"Open a root shell in the host namespaces", result.HostText);
        Thread.Sleep(300); // a pod, had one been created, would have reached the kubelet by now
        Assert.Empty(fixture.Leftovers());
        Assert.Equal(before, fixture.Kubelet.Started.Count);
    }

    [Fact]
    public void A_missing_node_stops_a_script_with_NodeNotFound()
    {
        var invoke = _ps.Catch("Invoke-KubeOSAdminCommand -Node node-404 -Command true -ErrorAction Stop");
        var enter = _ps.Catch("Enter-KubeOSAdminContainer -Node node-404 -ErrorAction Stop");

        Assert.Equal("NodeNotFound," + Cmdlet, invoke?.FullyQualifiedErrorId);
        Assert.Contains("has no node named 'node-404'", invoke!.Exception.Message);
        Assert.Equal("NodeNotFound,KubeOS.PowerShell.AdminContainer.EnterKubeOSAdminContainerCommand", enter?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Results_show_as_a_table_of_nodes()
    {
        var text = _ps.Render("Invoke-KubeOSAdminCommand -Node kubeos-b -Command 'echo first; echo second' -Port $Port -Timeout 30",
            new() { ["Port"] = Run.FreePort() });

        Assert.Matches(@"Node\s+ExitCode\s+Duration\s+Output\s+Error", text);
        Assert.Matches(@"kubeos-b\s+0\s+\d+\.\d\ds\s+first", text);
        Assert.DoesNotContain("second", text);
    }
}
