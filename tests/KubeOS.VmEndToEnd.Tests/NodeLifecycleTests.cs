using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using KubeOS.ImageBuilder.Tests.Support;
using KubeOS.PowerShell.Tests.Hosting;
using KubeOS.VmEndToEnd.Tests.Support;

namespace KubeOS.VmEndToEnd.Tests;

/// <summary>
/// One real node through the whole flow. The module builds the images, a QEMU guest boots the first one and joins the
/// sandbox as node kubeos-vm (its kubelet stand-in, os-proxy and os-agent run in the guest), and the module's cmdlets
/// upgrade it from an HTTP server and from a registry, configure it, roll it back, try an image that never boots and
/// a corrupted one. After each step the guest's own state is read over SSH: kernel command line, the partition the
/// root is mounted from, os-release, sysctls, and a file on /persist that must never change.
/// </summary>
public sealed class NodeLifecycleTests : IAsyncLifetime
{
    private const string Node = GuestImageSet.NodeName;
    private static readonly string WorkRoot = "/var/tmp/kubeos-vm-e2e";

    private readonly string _run = Path.Combine(WorkRoot, $"run-{Environment.ProcessId}");
    private readonly TimingTable _timings = new();
    private readonly ITestOutputHelper _output = TestContext.Current.TestOutputHelper!;
    private PowerShellSession _session = null!;
    private string _kubeconfig = "";
    private GuestShell _shell = null!;
    private GuestVm? _vm;
    private StaticHttpServer? _http;
    private LocalRegistry? _registry;
    private string _persistSha = "";

    public ValueTask InitializeAsync()
    {
        // Runs killed before their clean-up leave gigabytes behind; their process ids are gone.
        foreach (var stale in Directory.Exists(WorkRoot) ? Directory.GetDirectories(WorkRoot, "run-*") : [])
        {
            if (int.TryParse(Path.GetFileName(stale)[4..], out var pid) && !Directory.Exists($"/proc/{pid}"))
                Directory.Delete(stale, recursive: true);
        }
        Directory.CreateDirectory(_run);
        _session = new PowerShellSession();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Node_is_upgraded_configured_and_rolled_back_through_the_cluster()
    {
        var total = Stopwatch.StartNew();
        var sandbox = Ps("Start-KubeOSSandbox -Nodes 1 -Name vm-e2e").Output.Single();
        _kubeconfig = (string)sandbox.Properties["KubeconfigPath"].Value;
        var apiPort = ((Uri)sandbox.Properties["Endpoint"].Value).Port;

        // Images: the node's programs, then one vm image and the upgrade images, all through New-KubeOSImage.
        var watch = Stopwatch.StartNew();
        var (agent, proxy) = await GuestBinaries.PublishAsync(Path.Combine(_run, "publish"));
        var images = new GuestImageSet(Path.Combine(_run, "assets"));
        await images.WriteAsync(_kubeconfig, agent, proxy);
        _timings.Add("publish os-agent (AOT) and os-proxy", "dotnet publish", watch.Elapsed.TotalSeconds);

        _registry = await LocalRegistry.StartAsync(_run);
        watch.Restart();
        var image2 = Build(images.WriteToml("2.0.0"), "upgrade");
        // Disk upgrades send the raw root filesystem image (the agent also takes KubeOS's tar, as the registry step shows):
        // written without unpacking, it costs the emulated guest the least.
        var (raw2, sha2) = (Artefact(image2, "RootImage"), Sha256Of(image2, "RootImage"));
        var vmDisk = Artefact(Build(images.WriteToml("1.0.0"), "vm"), "Qcow2Disk");
        _timings.Add("image build: vm 1.0.0 and upgrade 2.0.0", "New-KubeOSImage", watch.Elapsed.TotalSeconds);

        var (kvm, why) = await KvmProbe.ProbeAsync(raw2, _run);
        _output.WriteLine($"accelerator: {(kvm ? "KVM" : "TCG")} ({why})");

        // Boot: the node registers itself and its proxy creates its OSInstance. The other upgrade images build while
        // the guest boots; the emulated guest and the builder share the host's cores.
        var disk = Path.Combine(_run, "node.qcow2");
        await HostProcess.CheckedAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", vmDisk, "-F", "qcow2", disk);
        var served = new ConcurrentDictionary<string, string> { ["/kubeos-2.0.0.img"] = raw2 };
        _http = new StaticHttpServer(served);
        var registryPort = int.Parse(_registry.Address.Split(':')[1]);
        var forwards = new[]
        {
            new GuestForward(GuestImageSet.ApiGuestPort, apiPort), new GuestForward(80, _http.Port), new GuestForward(5000, registryPort),
        };
        watch.Restart();
        _vm = GuestVm.Start(disk, _run, GuestVm.Firmware.Bios, forwards, kvm);
        _shell = new GuestShell(_vm.SshPort, images.SshKeyPath);

        var builds = Stopwatch.StartNew();
        var image3 = Build(images.WriteToml("3.0.0"), "upgrade", $"{_registry.Address}/kubeos/os:3.0.0");
        var image4 = Build(images.WriteToml("4.0.0", brokenInit: true), "upgrade");
        var (raw4, sha4) = (Artefact(image4, "RootImage"), Sha256Of(image4, "RootImage"));
        var corrupt = Path.Combine(_run, "corrupt-2.0.0.img");
        await CorruptCopyAsync(raw2, corrupt);
        served["/kubeos-4.0.0.img"] = raw4;
        served["/kubeos-5.0.0.img"] = corrupt;
        _timings.Add("image build: upgrades 3.0.0 (pushed), 4.0.0 (broken init), while the guest boots", "New-KubeOSImage", builds.Elapsed.TotalSeconds);

        var bootId = await WaitForNodeAsync("KubeOS 1.0.0", previousBootId: null, TimeSpan.FromMinutes(5));
        _timings.Add($"first boot (BIOS, {(kvm ? "KVM" : "TCG")}) to node Ready with its OSInstance, builds alongside", "boot", watch.Elapsed.TotalSeconds);
        AssertRoot("A", "1.0.0");
        _persistSha = _shell.Run("head -c 1048576 /dev/urandom > /persist/data/keep.bin && sync && sha256sum /persist/data/keep.bin | cut -d' ' -f1");
        CreateWorkloadPod("web-1");

        // 1. Disk upgrade from the HTTP server: A → B.
        bootId = await UpgradeStepAsync("upgrade 1.0.0 → 2.0.0 (disk, HTTP)", bootId, "KubeOS 2.0.0",
            $"Start-KubeOSUpgrade -Version 'KubeOS 2.0.0' -ImageType disk -ImageUrl http://{GuestVm.HostAddress}/kubeos-2.0.0.img -FlagSafe -Checksum {sha2} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -EvictPodForce");
        AssertRoot("B", "2.0.0");
        Assert.False(PodExists("web-1"), "the drain should have evicted pod web-1 from the node");

        // 2. Configuration: a runtime sysctl, a persistent sysctl, and kernel arguments for the running root's entry and
        //    for the other root's (which the rollback below boots).
        watch.Restart();
        Ps($"Set-KubeOSConfig -Sysctl @{{ 'vm.max_map_count' = '262144' }} -SysctlPersist @{{ 'vm.swappiness' = '13' }} -KernelArgument @{{ 'kubeos.e2e.current' = 'b' }} -StandbyKernelArgument @{{ 'kubeos.e2e.standby' = 'a' }} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -Wait -Timeout 300");
        _timings.Add("Set-KubeOSConfig (sysctl, persistent sysctl, kernel arguments)", "config", watch.Elapsed.TotalSeconds);
        Assert.Equal("262144", _shell.Run("sysctl -n vm.max_map_count"));
        Assert.Contains("vm.swappiness=13", _shell.Run("cat /etc/sysctl.conf").Replace(" ", ""));
        var grubCfg = _shell.Run("cat /boot/efi/EFI/openEuler/grub.cfg");
        Assert.Contains("kubeos.e2e.current=b", EntryLine(grubCfg, "B"));
        Assert.Contains("kubeos.e2e.standby=a", EntryLine(grubCfg, "A"));
        Assert.DoesNotContain("kubeos.e2e", _shell.Run("cat /proc/cmdline"));
        AssertPersistIntact();

        // 3. Rollback: B → A, the previous version.
        bootId = await UpgradeStepAsync("rollback 2.0.0 → 1.0.0", bootId, "KubeOS 1.0.0",
            $"Invoke-KubeOSRollback -NodeName {Node} -Group {GuestImageSet.NodeSelector} -Version 'KubeOS 1.0.0' -Confirm:$false -TimeInterval 0 -EvictPodForce");
        AssertRoot("A", "1.0.0");
        Assert.Contains("kubeos.e2e.standby=a", _shell.Run("cat /proc/cmdline"));
        Assert.Equal("13", _shell.Run("sysctl -n vm.swappiness"));

        // 4. containerd upgrade: the agent pulls /os.tar from the registry itself. A → B.
        var digest = ((string)image3.Properties["Digest"].Value).Replace("sha256:", "");
        bootId = await UpgradeStepAsync("upgrade 1.0.0 → 3.0.0 (containerd, registry)", bootId, "KubeOS 3.0.0",
            $"Start-KubeOSUpgrade -Version 'KubeOS 3.0.0' -ImageType containerd -ContainerImage {GuestVm.HostAddress}:5000/kubeos/os:3.0.0 -FlagSafe -Checksum {digest} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -EvictPodForce");
        AssertRoot("B", "3.0.0");

        // 5. An image that never comes up: the trial boot of A panics, GRUB falls back to B by itself.
        watch.Restart();
        await using (var watcher = new NodeWatcher(_kubeconfig, Node, bootId))
        {
            var result = _session.Run($"Start-KubeOSUpgrade -Version 'KubeOS 4.0.0' -ImageType disk -ImageUrl http://{GuestVm.HostAddress}/kubeos-4.0.0.img -FlagSafe -Checksum {sha4} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -EvictPodForce -Wait -Timeout 900");
            Assert.True(result.Errors.Count > 0 || result.Terminating is not null, "an upgrade to a root that never boots must end in an error: " + result);
            bootId = await WaitForNodeAsync("KubeOS 3.0.0", null, TimeSpan.FromMinutes(2));
        }
        _timings.Add("upgrade 3.0.0 → 4.0.0 (init fails) until reported failed", "panic + fallback", watch.Elapsed.TotalSeconds);
        Assert.Contains("KUBEOS-BROKEN-INIT", _vm.Console());
        AssertRoot("B", "3.0.0");
        var failed = NodeRow();
        Assert.Equal("Failed", failed.Phase);
        Assert.Contains("KubeOS 4.0.0", failed.Message);
        Assert.Contains("did not boot", failed.Message);

        // 6. A corrupted image: refused before any switch; the boot entries are as they were.
        var grubEnvBefore = _shell.Run("cat /boot/efi/EFI/openEuler/grubenv");
        watch.Restart();
        var refused = _session.Run($"Start-KubeOSUpgrade -Version 'KubeOS 5.0.0' -ImageType disk -ImageUrl http://{GuestVm.HostAddress}/kubeos-5.0.0.img -FlagSafe -Checksum {sha2} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -EvictPodForce -Wait -Timeout 600");
        _timings.Add("upgrade to a corrupted image until refused", "download + check", watch.Elapsed.TotalSeconds);
        Assert.True(refused.Errors.Count > 0 || refused.Terminating is not null, "a corrupted image must end in an error: " + refused);
        var rejected = NodeRow();
        Assert.Equal("Failed", rejected.Phase);
        Assert.Contains("mismatch", rejected.Message);
        Assert.Contains($"expected sha256 {sha2}", rejected.Message);
        Assert.Contains("boot target is unchanged", rejected.Message);
        Assert.Equal(grubEnvBefore, _shell.Run("cat /boot/efi/EFI/openEuler/grubenv"));
        Assert.Equal(bootId, NodeBootId());
        AssertRoot("B", "3.0.0");
        Assert.True(NodeRow().Schedulable, "a node whose upgrade failed before the drain must not be left cordoned");

        // 7. A health gate the new version fails: the node boots 2.0.0 on A, the probe from the node keeps failing, and
        //    the node rolls itself back to B, stays cordoned with a condition that says why, and is reported failed.
        watch.Restart();
        await using (var watcher = new NodeWatcher(_kubeconfig, Node, bootId))
        {
            var gated = _session.Run($"Start-KubeOSUpgrade -Version 'KubeOS 2.0.0' -ImageType disk -ImageUrl http://{GuestVm.HostAddress}/kubeos-2.0.0.img -FlagSafe -Checksum {sha2} -NodeSelector {GuestImageSet.NodeSelector} -TimeInterval 0 -EvictPodForce -HealthGateUrl http://{GuestVm.HostAddress}/healthz -HealthGateTimeout 20 -Wait -Timeout 1200");
            Assert.True(gated.Errors.Count > 0 || gated.Terminating is not null, "an upgrade that fails its health gate must end in an error: " + gated);
            bootId = await WaitForNodeAsync("KubeOS 3.0.0", bootId, TimeSpan.FromMinutes(3));
            Assert.True(watcher.Reboots.Count >= 2, $"expected the boot into 2.0.0 and the one back, saw {watcher.Reboots.Count} reboot(s)");
        }
        _timings.Add("upgrade 3.0.0 → 2.0.0 failing its health gate, until rolled back", "gate + rollback", watch.Elapsed.TotalSeconds);
        Assert.Contains("/healthz", string.Join('\n', _http.Requests));
        AssertRoot("B", "3.0.0");
        var gate = NodeRow();
        Assert.Equal("Failed", gate.Phase);
        Assert.False(gate.Schedulable, "a node that failed its health gate stays cordoned");
        var condition = Kubectl($"get node {Node} -o jsonpath={{.status.conditions[?(@.type=='KubeOSHealthGateFailed')].status}}");
        Assert.Equal("True", condition);
        AssertPersistIntact();

        // 8. The same first image through UEFI firmware: it boots and rejoins as the node.
        await _vm.DisposeAsync();
        var uefiDisk = Path.Combine(_run, "node-uefi.qcow2");
        await HostProcess.CheckedAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", vmDisk, "-F", "qcow2", uefiDisk);
        watch.Restart();
        _vm = GuestVm.Start(uefiDisk, _run, GuestVm.Firmware.Uefi, forwards, kvm);
        _shell.Dispose();
        _shell = new GuestShell(_vm.SshPort, images.SshKeyPath);
        await WaitForNodeAsync("KubeOS 1.0.0", bootId, TimeSpan.FromMinutes(6));
        _timings.Add("boot (UEFI, OVMF) of the vm image to node Ready", "boot", watch.Elapsed.TotalSeconds);
        Assert.Equal("yes", _shell.Run("test -d /sys/firmware/efi && echo yes"));
        AssertRoot("A", "1.0.0");

        _timings.Add("whole test", "total", total.Elapsed.TotalSeconds);
    }

    /// <summary>Runs an upgrade or rollback with -Wait and times its phases; returns the node's new bootID.</summary>
    private async Task<string> UpgradeStepAsync(string step, string bootId, string version, string command)
    {
        var watch = Stopwatch.StartNew();
        await using var watcher = new NodeWatcher(_kubeconfig, Node, bootId);
        var result = Ps($"{command} -Wait -Timeout 900");
        var newBootId = await WaitForNodeAsync(version, bootId, TimeSpan.FromMinutes(2));
        var total = watch.Elapsed.TotalSeconds;
        Assert.True(watcher.SawCordoned, $"{step}: the node was never seen cordoned");
        Assert.True(NodeRow().Schedulable, $"{step}: the node is still cordoned");
        var prepared = watcher.Seen("Preparing");
        var drained = watcher.Seen("Cordoning") ?? watcher.Seen("Draining") ?? watcher.Seen("Rebooting");
        var rebooting = watcher.Seen("Rebooting");
        var rebooted = watcher.Reboots.FirstOrDefault();
        if (prepared is { } p && drained is { } d) _timings.Add(step, "download + write", d - p);
        if (rebooting is { } r && rebooted > 0) _timings.Add(step, "reboot", rebooted - r);
        if (rebooted > 0) _timings.Add(step, "back to Ready", total - rebooted);
        _timings.Add(step, "total", total);
        _output.WriteLine($"{step}: {result.HostText}");
        AssertPersistIntact();
        return newBootId;
    }

    /// <summary>Waits until the node reports <paramref name="osImage"/> Ready after a boot other than the given one, and SSH answers.</summary>
    private async Task<string> WaitForNodeAsync(string osImage, string? previousBootId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var json = Kubectl($"get node {Node} -o json", allowFailure: true);
            if (json is not null)
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
                var boot = (string?)node["status"]?["nodeInfo"]?["bootID"];
                var image = (string?)node["status"]?["nodeInfo"]?["osImage"];
                var instance = Kubectl($"get osinstance {Node} -n default -o name", allowFailure: true);
                if (image == osImage && boot is not null && boot != previousBootId && instance is not null)
                {
                    await _shell.WaitForLoginAsync(TimeSpan.FromMinutes(1), () => _vm!.ConsoleTail());
                    return boot;
                }
            }
            if (DateTime.UtcNow > deadline || _vm!.HasExited)
                throw new TimeoutException($"node {Node} did not come up Ready on {osImage} within {limit.TotalMinutes:0} min\n--- console ---\n{_vm!.ConsoleTail()}");
            await Task.Delay(2000);
        }
    }

    private void AssertRoot(string partition, string version)
    {
        var cmdline = _shell.Run("cat /proc/cmdline");
        Assert.Contains($"root=PARTLABEL=ROOT-{partition}", cmdline);
        var device = _shell.Run("findmnt -no SOURCE /");
        Assert.Equal($"ROOT-{partition}", _shell.Run($"blkid -p -s PART_ENTRY_NAME -o value {device}"));
        Assert.Equal(version, _shell.Run(". /usr/lib/os-release && echo $VERSION_ID"));
        Assert.Equal($"KubeOS {version}", NodeRow().OSVersion);
    }

    private void AssertPersistIntact() =>
        Assert.Equal(_persistSha, _shell.Run("sha256sum /persist/data/keep.bin | cut -d' ' -f1"));

    private static string EntryLine(string grubCfg, string entry)
    {
        var start = grubCfg.IndexOf($"menuentry '{entry}'", StringComparison.Ordinal);
        Assert.True(start >= 0, $"grub.cfg has no entry {entry}");
        var linux = grubCfg.IndexOf("linux ", start, StringComparison.Ordinal);
        return grubCfg[linux..grubCfg.IndexOf('\n', linux)];
    }

    private (string? Phase, string Message, string? OSVersion, bool Schedulable) NodeRow()
    {
        var row = Ps($"Get-KubeOSNode -Name {Node}").Output.Single();
        return ((string?)row.Properties["Phase"].Value, (string?)row.Properties["Message"].Value ?? "",
            (string?)row.Properties["OSVersion"].Value, (bool)row.Properties["Schedulable"].Value);
    }

    private string NodeBootId() => Kubectl($"get node {Node} -o jsonpath={{.status.nodeInfo.bootID}}")!;

    private void CreateWorkloadPod(string name)
    {
        var manifest = Path.Combine(_run, name + ".yaml");
        File.WriteAllText(manifest, $"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: {name}, namespace: default{"}"}
            spec:
              nodeName: {Node}
              containers: [{"{"}name: web, image: nginx{"}"}]
            """);
        Kubectl($"apply -f {manifest}");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (Kubectl($"get pod {name} -n default -o jsonpath={{.status.phase}}") != "Running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"pod {name} was not started by the node within a minute");
            Thread.Sleep(1000);
        }
    }

    private bool PodExists(string name) => Kubectl($"get pod {name} -n default -o name", allowFailure: true) is not null;

    private string? Kubectl(string arguments, bool allowFailure = false)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(_kubeconfig);
        foreach (var a in arguments.Split(' ')) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 0) return output.Trim();
        Assert.True(allowFailure, $"kubectl {arguments}: {error}");
        return null;
    }

    private PSObject Build(string toml, string type, string? push = null)
    {
        var script = $"New-KubeOSImage -ConfigPath '{toml}' -Type {type} -OutputPath '{Path.Combine(_run, "images", Path.GetFileNameWithoutExtension(toml))}' -CacheDirectory '{Path.Combine(WorkRoot, "cache")}'"
            + (push is null ? "" : $" -Push {push} -PlainHttp");
        return Ps(script).Output.Single();
    }

    private static string Artefact(PSObject image, string kind) => ArtefactOf(image, kind).Properties["Path"].Value.ToString()!;

    private static string Sha256Of(PSObject image, string kind) => ArtefactOf(image, kind).Properties["Sha256"].Value.ToString()!;

    private static PSObject ArtefactOf(PSObject image, string kind) =>
        ((System.Collections.IEnumerable)image.Properties["Artefacts"].Value).Cast<object>().Select(PSObject.AsPSObject)
            .Single(a => (string)a.Properties["Kind"].Value == kind);

    private ScriptResult Ps(string script)
    {
        var result = _session.Run(script);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, $"{script}\n{result}");
        return result;
    }

    /// <summary>A copy of the image with bytes flipped in the middle, as a bad disk or a broken transfer leaves it.</summary>
    private static async Task CorruptCopyAsync(string source, string target)
    {
        await HostProcess.CheckedAsync("cp", "--reflink=auto", source, target);
        await using var stream = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = stream.Length / 2;
        var bytes = new byte[4096];
        await stream.ReadExactlyAsync(bytes);
        for (var i = 0; i < bytes.Length; i++) bytes[i] ^= 0x5a;
        stream.Position = stream.Length / 2;
        await stream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        // Also after a failure: the figures up to the failing step tell where the time went.
        _timings.Save();
        _output.WriteLine(_timings.Render());
        if (_vm is not null)
        {
            _output.WriteLine("--- guest console (tail) ---\n" + _vm.ConsoleTail(8000));
            if (!_vm.HasExited)
            {
                // The node's own logs of this boot, for whatever step failed.
                try { _output.WriteLine("--- guest journal (tail) ---\n" + _shell.TryRun("journalctl -b --no-pager -u os-agent -u os-proxy -u kubeos-kubelet | tail -150").Output); }
                catch (Exception e) { _output.WriteLine($"(no guest journal: {e.Message})"); }
            }
            await _vm.DisposeAsync();
        }
        _shell?.Dispose();
        if (_http is not null) await _http.DisposeAsync();
        if (_registry is not null) await _registry.DisposeAsync();
        _session.Run("Get-KubeOSSandbox | Stop-KubeOSSandbox");
        _session.Dispose();
        try { Directory.Delete(_run, recursive: true); } catch (IOException) { }
    }
}
