using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Tests.Configuration;

public sealed class ImageConfigValidatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kbimg-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ImageConfig Config(string extra = "", bool agent = true)
    {
        if (agent) File.WriteAllText(Path.Combine(_dir, "os-agent"), "#!/bin/sh\n");
        return KbimgTomlReader.Parse($"""
            [from_repo]
            version = "1.0.0"
            agent_path = "os-agent"
            root_passwd = "$6$x$y"
            upgrade_img = "kubeos/os:1.0.0"
            {extra}
            """, _dir);
    }

    [Fact]
    public void Valid_config_has_no_errors_and_a_layout()
    {
        var errors = ImageConfigValidator.Validate(Config(), ImageType.Vm, out var layout);
        Assert.Empty(errors);
        Assert.NotNull(layout);
    }

    [Fact]
    public void Missing_agent_names_the_key_and_the_resolved_path()
    {
        var errors = ImageConfigValidator.Validate(Config(agent: false), ImageType.Vm, out _);
        var e = Assert.Single(errors);
        Assert.Equal("from_repo.agent_path", e.Key);
        Assert.Contains(Path.Combine(_dir, "os-agent"), e.Problem);
    }

    [Fact]
    public void Missing_copy_source_and_script_are_reported()
    {
        var config = Config("[[copy_files]]\nsrc = \"nope.conf\"\ndst = \"/etc/nope.conf\"\n[chroot_script]\npath = \"setup.sh\"");
        var errors = ImageConfigValidator.Validate(config, ImageType.Vm, out _);
        Assert.Contains(errors, e => e.Key == "copy_files[0].src");
        Assert.Contains(errors, e => e.Key == "chroot_script.path");
    }

    [Fact]
    public void Image_too_small_for_partitions_names_img_size_and_a_size_that_fits()
    {
        var config = Config("[disk_partition]\nroot = 2560\nimg_size = 5");
        var e = Assert.Single(ImageConfigValidator.Validate(config, ImageType.Vm, out _));
        Assert.Equal("disk_partition.img_size", e.Key);
        Assert.Contains("set disk_partition.img_size to 8", e.Fix);
    }

    [Fact]
    public void Upgrade_requires_upgrade_img()
    {
        File.WriteAllText(Path.Combine(_dir, "os-agent"), "");
        var config = KbimgTomlReader.Parse("[from_repo]\nversion=\"1\"\nagent_path=\"os-agent\"\nroot_passwd=\"$6$x\"", _dir);
        var e = Assert.Single(ImageConfigValidator.Validate(config, ImageType.Upgrade, out _));
        Assert.Equal("from_repo.upgrade_img", e.Key);
        Assert.Empty(ImageConfigValidator.Validate(config, ImageType.Vm, out _));
    }

    [Fact]
    public void Bad_user_name_is_reported()
    {
        var config = Config("[[users]]\nname = \"Bad Name\"\npasswd = \"x\"");
        Assert.Contains(ImageConfigValidator.Validate(config, ImageType.Vm, out _), e => e.Key == "users[0].name");
    }

    [Fact]
    public void Missing_from_repo_is_reported()
    {
        var errors = ImageConfigValidator.Validate(new ImageConfig(), ImageType.Vm, out _);
        Assert.Equal("from_repo", Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData("kubeos/os:1.0.2", "1.0.2")]
    [InlineData("127.0.0.1:5000/kubeos/os:v2", "v2")]
    [InlineData("127.0.0.1:5000/kubeos/os", "latest")]
    public void Upgrade_tag_comes_from_upgrade_img(string name, string tag) =>
        Assert.Equal(tag, ImageConfigValidator.UpgradeTag(name));
}
