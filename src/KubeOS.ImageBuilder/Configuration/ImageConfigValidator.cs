using System.Text.RegularExpressions;
using KubeOS.ImageBuilder.Disk;
using KubeOS.ImageBuilder.Oci;

namespace KubeOS.ImageBuilder.Configuration;

/// <summary>Checks that need the image type or the file system: referenced files, sizes, names. Runs before any long work.</summary>
public static partial class ImageConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(ImageConfig config, ImageType type, out DiskLayout? layout)
    {
        var errors = new List<ConfigError>();
        layout = null;
        if (type == ImageType.Admin)
        {
            ValidateAdmin(config, errors);
            return errors;
        }
        var repo = config.FromRepo;
        if (repo is null)
        {
            errors.Add(new ConfigError("from_repo", "is missing; the root filesystem is built from packages.",
                "add a [from_repo] table with version, agent_path and root_passwd."));
            return errors;
        }
        RequireFile(errors, config, "from_repo.agent_path", repo.AgentPath, "the os-agent binary");
        if (repo.RepoPath is { } sources) RequireFile(errors, config, "from_repo.repo_path", sources, "a package source list");
        for (var i = 0; i < config.CopyFiles.Count; i++)
        {
            var src = config.CopyFiles[i].Source;
            var full = config.ResolvePath(src);
            if (src.Length > 0 && !File.Exists(full) && !Directory.Exists(full))
                errors.Add(new ConfigError($"copy_files[{i}].src", $"'{full}' does not exist.", "point src at an existing file or folder on the build host."));
        }
        if (config.ChrootScript is { } script) RequireFile(errors, config, "chroot_script.path", script.Path, "a bash script");
        for (var i = 0; i < config.Users.Count; i++)
        {
            var u = config.Users[i];
            if (u.Name.Length > 0 && !UserName().IsMatch(u.Name))
                errors.Add(new ConfigError($"users[{i}].name", $"'{u.Name}' is not a valid user name.", "use lowercase letters, digits, '_' and '-', starting with a letter or '_'."));
            if (u.Password.Contains(':') || u.Password.Contains('\n'))
                errors.Add(new ConfigError($"users[{i}].passwd", "contains ':' or a line break.", "choose a password without ':' and line breaks."));
        }
        foreach (var dir in config.PersistDirectories.Where(d => d.Split('/').Contains("..")))
            errors.Add(new ConfigError("persist_mkdir.name", $"'{dir}' leaves /persist.", "name folders below /persist without '..'."));

        if (type == ImageType.Upgrade)
        {
            if (repo.UpgradeImage is null)
                errors.Add(new ConfigError("from_repo.upgrade_img", "is missing; upgrade images need a name.", "add upgrade_img = \"kubeos/os:1.0.0\" to [from_repo]."));
            else if (!IsImageName(repo.UpgradeImage, out var problem))
                errors.Add(new ConfigError("from_repo.upgrade_img", problem, "use an image name such as kubeos/os:1.0.0."));
        }
        if (type == ImageType.Pxe)
        {
            layout = Pxe.PxeDiskLayout.Create(config, errors);
        }
        if (type == ImageType.Vm)
        {
            layout = DiskLayout.Create(config.DiskPartition, repo.LegacyBios, config.DmVerity, out var layoutErrors);
            errors.AddRange(layoutErrors);
        }
        return errors;
    }

    private static void ValidateAdmin(ImageConfig config, List<ConfigError> errors)
    {
        if (config.FromRepo?.RepoPath is { } sources) RequireFile(errors, config, "from_repo.repo_path", sources, "a package source list");
        if (config.AdminContainer is not { } admin)
        {
            errors.Add(new ConfigError("admin_container", "is missing; admin images are described by it.",
                "add an [admin_container] table with img_name = \"kubeos/admin-container:1.0.0\"."));
            return;
        }
        if (admin.ImageName.Length > 0 && !IsImageName(admin.ImageName, out var problem))
            errors.Add(new ConfigError("admin_container.img_name", problem, "use an image name such as kubeos/admin-container:1.0.0."));
        if (admin.HostShellPath is { } hostshell) RequireFile(errors, config, "admin_container.hostshell", hostshell, "the hostshell program");
    }

    /// <summary>A name with or without a registry host (kubeos/os:1.0.0 or registry:5000/kubeos/os:1.0.0).</summary>
    private static bool IsImageName(string name, out string problem) =>
        ImageReference.TryParse(name.Contains('/') && name.Split('/')[0].IndexOfAny(['.', ':']) >= 0 ? name : "host/" + name, out _, out problem);

    /// <summary>The OCI tag for an upgrade image: the tag part of upgrade_img (or "latest").</summary>
    public static string UpgradeTag(string upgradeImage)
    {
        var last = upgradeImage.Split('/')[^1];
        var colon = last.LastIndexOf(':');
        return colon > 0 ? last[(colon + 1)..] : "latest";
    }

    private static void RequireFile(List<ConfigError> errors, ImageConfig config, string key, string path, string what)
    {
        if (path.Length == 0) return; // reported as empty already
        var full = config.ResolvePath(path);
        if (!File.Exists(full))
            errors.Add(new ConfigError(key, $"'{full}' does not exist.", $"point {key} at {what} on the build host (relative paths start at the config file's folder)."));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();
}
