namespace KubeOS.Agent.Tests.Settings;

public sealed class SysctlModelTests : SettingsTestBase
{
    private string Sysctl(string relative)
    {
        var path = Path.Combine(System.ProcSysRoot, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    [Fact]
    public async Task Runtime_WritesUnderProcSys_ReportsOldValue_AndIsIdempotent()
    {
        var forward = Sysctl("net/ipv4/ip_forward");
        File.WriteAllText(forward, "0\n");
        var rmem = Sysctl("net/ipv4/tcp_rmem");
        File.WriteAllText(rmem, "4096\t87380\t6291456\n");

        var changes = await Apply(Model("kernel.sysctl", "", ("net.ipv4.ip_forward", "1", "add"), ("net/ipv4/tcp_rmem", "\"4096 87380 6291456\"", "")));
        Assert.Equal(["kernel.sysctl: net.ipv4.ip_forward=1 (was 0)"], changes);
        Assert.Equal("1\n", File.ReadAllText(forward));

        Assert.Empty(await Apply(Model("kernel.sysctl", "", ("net.ipv4.ip_forward", "1", "update"))));
    }

    [Fact]
    public async Task Runtime_UnknownSysctl_OrObjectValue_IsRejected()
    {
        var unknown = await Assert.ThrowsAsync<Agent.Settings.SettingsException>(() => Apply(Model("kernel.sysctl", "", ("vm.no_such", "1", ""))));
        Assert.Contains("'vm.no_such' is not a sysctl of this kernel", unknown.Message);

        File.WriteAllText(Sysctl("vm/swappiness"), "60\n");
        var obj = await Assert.ThrowsAsync<Agent.Settings.SettingsException>(() => Apply(Model("kernel.sysctl", "", ("vm.swappiness", "{\"a\":1}", ""))));
        Assert.Contains("needs a string, number or boolean", obj.Message);
    }

    [Fact]
    public async Task Persist_UpdatesInPlace_Appends_DeletesOnlyOnMatchingValue_KeepingComments()
    {
        var conf = PathOf("sysctl.conf");
        File.WriteAllText(conf, "# tuned for k8s\nvm.swappiness = 60\n\nkernel.pid_max=4194304\nfs.file-max=100\n");

        var changes = await Apply(Model("kernel.sysctl.persist", conf,
            ("vm.swappiness", "10", ""), ("net.ipv4.ip_forward", "1", "add"), ("kernel.pid_max", "\"4194304\"", "delete"), ("fs.file-max", "5", "delete")));

        Assert.Equal("# tuned for k8s\nvm.swappiness=10\n\nfs.file-max=100\nnet.ipv4.ip_forward=1\n", File.ReadAllText(conf));
        Assert.Equal(3, changes.Count);
        Assert.Contains(changes, c => c.Contains("vm.swappiness=10 (was 60)"));
        Assert.Empty(await Apply(Model("kernel.sysctl.persist", conf, ("vm.swappiness", "10", ""))));
    }

    [Fact]
    public async Task Persist_MalformedFileLine_AbortsBeforeAnyModelChanges()
    {
        var forward = Sysctl("net/ipv4/ip_forward");
        File.WriteAllText(forward, "0\n");
        var conf = PathOf("sysctl.conf");
        File.WriteAllText(conf, "this line is not a setting\n");

        var error = await Assert.ThrowsAsync<Agent.Settings.SettingsException>(() => Apply(
            Model("kernel.sysctl", "", ("net.ipv4.ip_forward", "1", "")),
            Model("kernel.sysctl.persist", conf, ("vm.swappiness", "10", ""))));

        Assert.Contains("line 1", error.Message);
        Assert.Equal("0\n", File.ReadAllText(forward));
    }

    [Fact]
    public async Task UnknownOperation_NamesTheKeyAndTheChoices()
    {
        var error = await Assert.ThrowsAsync<Agent.Settings.SettingsException>(() =>
            Apply(Model("kernel.sysctl.persist", PathOf("s.conf"), ("vm.swappiness", "10", "replace"))));
        Assert.Contains("key 'vm.swappiness' has operation 'replace'; use add, update, delete", error.Message);
        Assert.False(File.Exists(PathOf("s.conf")));
    }
}
