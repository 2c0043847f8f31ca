using KubeOS.Agent.Settings;
using YamlDotNet.RepresentationModel;

namespace KubeOS.Agent.Tests.Settings;

public sealed class FileModelTests : SettingsTestBase
{
    private const string GrubCfg = """
        set default="${saved_entry}"
        menuentry 'A' --id A {
                search --no-floppy --label ROOT-A --set=root
                linux /boot/vmlinuz root=PARTUUID=aaaa ro quiet panic=3
                initrd /boot/initramfs.img
        }
        menuentry 'B' --id B {
                search --no-floppy --label ROOT-B --set=root
                linux /boot/vmlinuz root=PARTUUID=bbbb ro quiet panic=3
                initrd /boot/initramfs.img
        }
        """;

    [Fact]
    public async Task GrubCmdline_CurrentEditsTheRunningEntry_NextTheOther()
    {
        File.WriteAllText(System.GrubCfgPath, GrubCfg + "\n");
        ActivePartition = "B";

        var changes = await Apply(
            Model("grub.cmdline.current", "", ("panic", "10", ""), ("nomodeset", "\"\"", "add")),
            Model("grub.cmdline.next", "", ("quiet", "null", "delete")));

        var lines = File.ReadAllLines(System.GrubCfgPath).Where(l => l.TrimStart().StartsWith("linux")).ToArray();
        Assert.Equal("        linux /boot/vmlinuz root=PARTUUID=aaaa ro panic=3", lines[0]);
        Assert.Equal("        linux /boot/vmlinuz root=PARTUUID=bbbb ro quiet panic=10 nomodeset", lines[1]);
        Assert.Equal(3, changes.Count);
        Assert.Empty(await Apply(Model("grub.cmdline.current", "", ("panic", "10", ""))));
    }

    [Fact]
    public async Task PamLimits_RewritesTheDomainLine_KeepsUnderscoreColumns_AppendsNewDomains()
    {
        File.WriteAllText(System.LimitsConfPath, "# limits\n*    soft    nofile   1024\n");

        var changes = await Apply(Model("pam.limits", "ignored", ("*", "\"_._.65535\"", "update"), ("root", "\"hard.nproc.unlimited\"", "add")));

        Assert.Equal("# limits\n* soft nofile 65535\nroot hard nproc unlimited\n", File.ReadAllText(System.LimitsConfPath));
        Assert.Equal(2, changes.Count);
        var error = await Assert.ThrowsAsync<SettingsException>(() => Apply(Model("pam.limits", "", ("dev", "\"_.nofile.1\"", ""))));
        Assert.Contains("no line to keep '_' columns from", error.Message);
        await Apply(Model("pam.limits", "", ("root", "\"hard.nproc.unlimited\"", "delete")));
        Assert.Equal("# limits\n* soft nofile 65535\n", File.ReadAllText(System.LimitsConfPath));
    }

    [Fact]
    public async Task Kubelet_SetsNestedKeys_AppendsArrays_Deletes_AndIsIdempotent()
    {
        var config = PathOf("kubelet.yaml");
        File.WriteAllText(config, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\nmaxPods: 110\n");

        var request = Model("kubernetes.kubelet", config,
            ("evictionHard.\"memory.available\"", "\"200Mi\"", ""),
            ("clusterDNS", "[\"10.96.0.11\"]", "add"),
            ("maxPods", "null", "delete"),
            ("failSwapOn", "false", ""),
            ("cgroupDriver", "\"true\"", ""));
        var changes = await Apply(request);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(config)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("200Mi", ((YamlScalarNode)((YamlMappingNode)root["evictionHard"])["memory.available"]).Value);
        Assert.Equal(["10.96.0.10", "10.96.0.11"], ((YamlSequenceNode)root["clusterDNS"]).Select(n => ((YamlScalarNode)n).Value));
        Assert.False(root.Children.ContainsKey(new YamlScalarNode("maxPods")));
        Assert.Contains("cgroupDriver: \"true\"", File.ReadAllText(config));
        Assert.Equal(5, changes.Count);
        Assert.Empty(await Apply(Model("kubernetes.kubelet", config, ("failSwapOn", "false", ""))));
    }

    [Fact]
    public async Task Kubelet_KeyThroughAScalar_IsRejectedBeforeAnyWrite()
    {
        var config = PathOf("kubelet.yaml");
        File.WriteAllText(config, "maxPods: 110\n");
        var error = await Assert.ThrowsAsync<SettingsException>(() => Apply(Model("kubernetes.kubelet", config, ("maxPods.limit", "1", ""))));
        Assert.Contains("'maxPods' is not a map", error.Message);
        Assert.Equal("maxPods: 110\n", File.ReadAllText(config));
    }

    [Fact]
    public async Task Containerd_EditsQuotedDottedTables_CreatesMissingFile_RejectsNull()
    {
        var config = PathOf("containerd.toml");
        var changes = await Apply(Model("container.containerd", config,
            ("plugins.\"io.containerd.grpc.v1.cri\".sandbox_image", "\"registry.local/pause:3.9\"", ""),
            ("version", "2", "add")));

        var text = File.ReadAllText(config);
        var table = Tomlyn.TomlSerializer.Deserialize<Tomlyn.Model.TomlTable>(text)!;
        var cri = (Tomlyn.Model.TomlTable)((Tomlyn.Model.TomlTable)table["plugins"])["io.containerd.grpc.v1.cri"];
        Assert.Equal("registry.local/pause:3.9", cri["sandbox_image"]);
        Assert.Equal(2L, table["version"]);
        Assert.Equal(2, changes.Count);

        var error = await Assert.ThrowsAsync<SettingsException>(() => Apply(Model("container.containerd", config, ("version", "null", ""))));
        Assert.Contains("TOML has no null", error.Message);
        await Apply(Model("container.containerd", config, ("plugins.\"io.containerd.grpc.v1.cri\".sandbox_image", "\"\"", "delete")));
        Assert.DoesNotContain("sandbox_image", File.ReadAllText(config));
    }

    [Theory]
    [InlineData("a..b", "empty segment")]
    [InlineData("\"a.b", "unclosed")]
    [InlineData("a.", "ends with '.'")]
    public void DottedKey_MalformedPaths_AreExplained(string key, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => DottedKey.Split("m", key));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void DottedKey_QuotedSegmentsKeepTheirDots() =>
        Assert.Equal(["plugins", "io.containerd.runtime.v1.linux", "no_shim"], DottedKey.Split("m", "plugins.\"io.containerd.runtime.v1.linux\".no_shim"));
}
