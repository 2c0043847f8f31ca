using System.Text.Json;
using KubeOS.ImageBuilder.Admin;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Admin;

/// <summary>The admin container image checked with skopeo and umoci, and its sshd run from the unpacked root.</summary>
public sealed class AdminImageTests(ImageBuildFixture fixture)
{
    private async Task<string> LayoutAsync() => (await fixture.AdminAsync()).Find(ImageArtifactKind.OciLayout)!.Path;

    [Fact]
    public async Task Image_config_starts_the_entrypoint_with_the_port_and_key_folder_in_its_environment()
    {
        var layout = await LayoutAsync();
        var config = JsonDocument.Parse(await HostProcess.CheckedAsync("skopeo", "inspect", "--config", $"oci:{layout}:1.0.0")).RootElement;
        var runtime = config.GetProperty("config");
        Assert.Equal([AdminImage.EntrypointPath], runtime.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        var env = runtime.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains($"KUBEOS_ADMIN_SSH_PORT={ImageBuildFixture.AdminSshPort}", env);
        Assert.Contains("KUBEOS_ADMIN_SSH_DIR=/run/secrets/kubeos-admin", env);
        Assert.True(runtime.GetProperty("ExposedPorts").TryGetProperty($"{ImageBuildFixture.AdminSshPort}/tcp", out _));
        Assert.Equal("amd64", config.GetProperty("architecture").GetString());

        var inspect = JsonDocument.Parse(await HostProcess.CheckedAsync("skopeo", "inspect", $"oci:{layout}:1.0.0")).RootElement;
        Assert.Equal((await fixture.AdminAsync()).ManifestDigest, inspect.GetProperty("Digest").GetString());
        Assert.Single(inspect.GetProperty("Layers").EnumerateArray());
    }

    [Fact]
    public async Task Unpacked_root_has_sshd_nsenter_tools_and_a_valid_entrypoint_but_no_host_keys_or_passwords()
    {
        var root = await AdminRootAsync();
        foreach (var tool in new[] { "usr/sbin/sshd", "usr/bin/nsenter", "usr/bin/ps", "usr/sbin/ip", "usr/bin/ssh-keygen", "usr/bin/tcpdump", "usr/bin/strace" })
            Assert.True(File.Exists(Path.Combine(root, tool)) || File.Exists(Path.Combine(root, tool.Replace("usr/bin", "usr/sbin"))), $"{tool} is missing");
        foreach (var script in new[] { AdminImage.EntrypointPath, AdminImage.HostShellPath })
        {
            var path = Path.Combine(root, script.TrimStart('/'));
            Assert.True((File.GetUnixFileMode(path) & UnixFileMode.OtherExecute) != 0, $"{script} is not executable");
            await HostProcess.CheckedAsync("bash", "-n", path);
        }
        // The documented settings, printed by the image's own tools.
        var help = await HostProcess.CheckedAsync("chroot", root, AdminImage.EntrypointPath, "--help");
        Assert.Contains("KUBEOS_ADMIN_SSH_PORT / --port N", help);
        Assert.Contains("KUBEOS_ADMIN_SSH_DIR  / --ssh-dir DIR", help);
        Assert.DoesNotContain("set -euo pipefail", help);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "etc/ssh"), "ssh_host_*"));
        var rootEntry = File.ReadAllLines(Path.Combine(root, "etc/shadow")).Single(l => l.StartsWith("root:", StringComparison.Ordinal));
        Assert.Equal("*", rootEntry.Split(':')[1]);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "dev")));
    }

    [Fact]
    public async Task Sshd_from_the_image_accepts_the_mounted_key_on_the_configured_port_and_refuses_passwords()
    {
        var root = await AdminRootAsync();
        await using var sshd = await AdminSshd.StartAsync(root, fixture.RunDirectory);

        var output = await sshd.SshAsync("nsenter --version && cat /etc/debian_version && echo admin-login-ok");
        Assert.Contains("admin-login-ok", output);
        Assert.Contains("nsenter from util-linux", output);

        var (code, refused) = await HostProcess.RunAsync("ssh", [.. sshd.ClientOptions(usePassword: true), "root@127.0.0.1", "true"]);
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied (publickey)", refused);
    }

    [Fact]
    public async Task Push_to_a_registry_reuses_the_cached_root_and_keeps_the_digest()
    {
        await fixture.AdminAsync(); // the first build fills the cache
        await using var registry = await LocalRegistry.StartAsync(fixture.RunDirectory);
        var target = $"{registry.Address}/kubeos/admin-container:1.0.1";
        var pushed = await fixture.BuildOnceAsync("admin-pushed", () =>
            fixture.Options("admin-pushed", ImageType.Admin, ImageBuildFixture.AdminToml("1.0.1"), push: target));
        Assert.True(pushed.RootfsFromCache);
        Assert.Equal(target, pushed.PushedReference);
        var remote = await HostProcess.CheckedAsync("skopeo", "inspect", "--tls-verify=false", $"docker://{target}");
        Assert.Equal(pushed.ManifestDigest, JsonDocument.Parse(remote).RootElement.GetProperty("Digest").GetString());
    }

    private static readonly SemaphoreSlim UnpackGate = new(1, 1);

    /// <summary>umoci unpacks the image once (as root, so owners and modes are the image's) into a runtime bundle.</summary>
    private async Task<string> AdminRootAsync()
    {
        var layout = await LayoutAsync();
        var bundle = Path.Combine(fixture.RunDirectory, "admin-bundle");
        await UnpackGate.WaitAsync();
        try
        {
            if (!Directory.Exists(bundle))
                await HostProcess.CheckedAsync("umoci", "unpack", "--image", $"{layout}:1.0.0", bundle);
        }
        finally
        {
            UnpackGate.Release();
        }
        return Path.Combine(bundle, "rootfs");
    }
}
