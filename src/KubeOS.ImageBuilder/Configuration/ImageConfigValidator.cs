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
            else if (!ImageReference.TryParse(repo.UpgradeImage.Contains('/') && repo.UpgradeImage.Split('/')[0].IndexOfAny(['.', ':']) >= 0
                         ? repo.UpgradeImage : "host/" + repo.UpgradeImage, out _, out var problem))
                errors.Add(new ConfigError("from_repo.upgrade_img", problem, "use an image name such as kubeos/os:1.0.0."));
        }
        if (type == ImageType.Vm)
        {
            layout = DiskLayout.Create(config.DiskPartition, repo.LegacyBios, config.DmVerity, out var layoutErrors);
            errors.AddRange(layoutErrors);
        }
        return errors;
    }

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
