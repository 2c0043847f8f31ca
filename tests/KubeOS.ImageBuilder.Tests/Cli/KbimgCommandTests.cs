using System.CommandLine;
using KubeOS.ImageBuilder.Cli;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Cli;

public sealed class KbimgCommandTests(ImageBuildFixture fixture)
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await KbimgCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Unknown_key_exits_2_naming_the_key_and_the_fix()
    {
        var path = Path.Combine(fixture.AssetsDirectory, "cli-unknown.toml");
        await File.WriteAllTextAsync(path, fixture.Toml("1.0.0").Replace("legacy_bios = true", "legacy_bios = true\nrpm_list = [\"vim\"]"));
        var (code, _, error) = await RunAsync("create", "-f", path, "vm-img");
        Assert.Equal(KbimgCommand.ExitConfigError, code);
        Assert.Contains("from_repo.rpm_list: is not a known key.", error);
        Assert.Contains("rpmlist", error);
    }

    [Fact]
    public async Task Unknown_image_type_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("create", "-f", "x.toml", "iso");
        Assert.NotEqual(0, code);
        Assert.Contains("iso", error);
    }

    [Fact]
    public async Task Debug_prints_the_plan_and_builds_nothing()
    {
        await fixture.VmAsync();
        var path = Path.Combine(fixture.AssetsDirectory, "cli-plan.toml");
        await File.WriteAllTextAsync(path, fixture.Toml("1.0.0"));
        var output = Path.Combine(fixture.RunDirectory, "cli-plan-out");
        var (code, text, error) = await RunAsync("-d", "create", "-f", path, "vm-img", "-o", output, "--cache-dir", fixture.CacheDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("KubeOS 1.0.0 Vm image", text);
        Assert.Contains("(cached)", text);
        Assert.Contains("partition 2 ROOT-A", text);
        Assert.Contains("would write RawDisk", text);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Debug_plans_a_pxe_image_with_its_outputs_and_the_disk_warning()
    {
        await fixture.VmAsync();
        var path = Path.Combine(fixture.AssetsDirectory, "cli-pxe.toml");
        await File.WriteAllTextAsync(path, fixture.PxeToml());
        var output = Path.Combine(fixture.RunDirectory, "cli-pxe-out");
        var (code, text, error) = await RunAsync("-d", "create", "-f", path, "pxe-img", "-o", output, "--cache-dir", fixture.CacheDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("KubeOS 1.0.0 Pxe image", text);
        Assert.Contains("Initramfs", text);
        Assert.Contains($"would write Kernel         {Path.Combine(output, "vmlinuz")}", text);
        Assert.Contains("warning: the PXE installer erases /dev/vda", text);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Admin_container_without_its_table_exits_2_naming_it()
    {
        var path = Path.Combine(fixture.AssetsDirectory, "cli-admin-missing.toml");
        await File.WriteAllTextAsync(path, fixture.Toml("1.0.0"));
        var (code, _, error) = await RunAsync("-d", "create", "-f", path, "admin-container");
        Assert.Equal(KbimgCommand.ExitConfigError, code);
        Assert.Contains("admin_container: is missing", error);
    }
}
