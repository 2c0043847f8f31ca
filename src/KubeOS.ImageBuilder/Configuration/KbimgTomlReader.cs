using Tomlyn;
using Tomlyn.Model;

namespace KubeOS.ImageBuilder.Configuration;

/// <summary>
/// Reads a kbimg TOML file. Accepts KubeOS's keys where they apply to this builder (kubeos.md §6.3) plus a few
/// documented additions (<c>from_repo.suite</c>, <c>from_repo.mirror</c>, <c>grub.cmdline</c>, <c>grub.timeout</c>,
/// <c>disk_partition.boot</c>, <c>dm_verity.hash</c>). Every unknown key is an error naming the key.
/// </summary>
public static partial class KbimgTomlReader
{
    /// <summary>Characters KubeOS rejects in strings that end up in its shell scripts and os-release.</summary>
    private static readonly char[] ShellSpecials = ['|', ';', '&', '>', '<', ',', '#', '!', '$', '"', '\'', '`', '\\', '\n'];

    public static ImageConfig ReadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ImageConfigException(new ConfigError("config", $"file '{full}' does not exist.", "pass the path of an existing kbimg TOML file."));
        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full)!, full);
    }

    public static ImageConfig Parse(string toml, string baseDirectory, string sourceName = "config")
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(toml) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new ImageConfigException(new ConfigError(sourceName, $"is not valid TOML: {ex.Message}", "correct the TOML syntax at the position shown."));
        }

        var errors = new List<ConfigError>();
        var doc = new TomlSection(root, "", errors);
        var config = new ImageConfig
        {
            BaseDirectory = baseDirectory,
            FromRepo = ReadFromRepo(doc.Table("from_repo")),
            Users = doc.TableArray("users")?.Select(ReadUser).ToList() ?? [],
            CopyFiles = doc.TableArray("copy_files")?.Select(ReadCopyFile).ToList() ?? [],
            Grub = ReadGrub(doc.Table("grub")),
            SystemdServices = ReadNameList(doc.Table("systemd_service")),
            ChrootScript = ReadChrootScript(doc.Table("chroot_script")),
            DiskPartition = ReadDiskPartition(doc.Table("disk_partition")),
            PersistDirectories = ReadNameList(doc.Table("persist_mkdir")),
            DmVerity = ReadDmVerity(doc.Table("dm_verity")),
            AdminContainer = ReadAdminContainer(doc.Table("admin_container")),
            PxeConfig = ReadPxeConfig(doc.Table("pxe_config")),
        };
        foreach (var (key, why) in NotYetSupported)
        {
            if (doc.Has(key)) doc.Error(key, $"is a KubeOS section this builder does not support yet ({why}).", $"remove [{key}].");
        }
        doc.RejectUnknownKeys();
        if (errors.Count > 0) throw new ImageConfigException(errors);
        return config;
    }

    private static readonly (string Key, string Why)[] NotYetSupported =
    [
        ("from_dockerimg", "build from [from_repo] instead"),
    ];

    private static FromRepoSection? ReadFromRepo(TomlSection? s)
    {
        if (s is null) return null;
        var version = s.String("version", required: true, fix: "add version = \"1.0.0\" to [from_repo]; it becomes VERSION_ID in os-release.") ?? "";
        if (version.IndexOfAny(ShellSpecials) >= 0 || version.Any(char.IsWhiteSpace))
            s.Error("version", $"'{version}' contains spaces or shell special characters.", "use letters, digits, '.', '-' and '_' only.");
        var section = new FromRepoSection
        {
            Version = version,
            RepoPath = s.String("repo_path"),
            AgentPath = s.String("agent_path", required: true, fix: "add agent_path = \"<path of the os-agent binary>\" to [from_repo].") ?? "",
            RootPasswordHash = s.String("root_passwd", required: true, fix: "add root_passwd = \"<crypt hash>\" (e.g. from `openssl passwd -6`) to [from_repo].") ?? "",
            Packages = s.StringList("rpmlist") ?? [],
            UpgradeImage = s.String("upgrade_img"),
            LegacyBios = s.Bool("legacy_bios") ?? false,
            Suite = s.String("suite") ?? "bookworm",
            Mirror = s.String("mirror") ?? "http://deb.debian.org/debian",
        };
        if (section.RootPasswordHash.Length > 0 && !section.RootPasswordHash.StartsWith('$'))
            s.Error("root_passwd", "is not a crypt hash (it must start with '$').", "store a hash, e.g. the output of `openssl passwd -6`, never the plain password.");
        foreach (var p in section.Packages.Where(p => p.IndexOfAny(ShellSpecials) >= 0 || p.Any(char.IsWhiteSpace)))
            s.Error("rpmlist", $"package name '{p}' contains spaces or shell special characters.", "list one package name per element.");
        s.RejectUnknownKeys();
        return section;
    }

    private static UserEntry ReadUser(TomlSection s)
    {
        var user = new UserEntry(
            s.String("name", required: true) ?? "",
            s.String("passwd", required: true) ?? "",
            s.String("primary_group"),
            s.StringList("groups") ?? []);
        s.RejectUnknownKeys();
        return user;
    }

    private static CopyFileEntry ReadCopyFile(TomlSection s)
    {
        var entry = new CopyFileEntry(s.String("src", required: true) ?? "", s.String("dst", required: true) ?? "", s.Bool("create_dir") ?? false);
        if (entry.Destination.Length > 0 && !entry.Destination.StartsWith('/'))
            s.Error("dst", $"'{entry.Destination}' is not an absolute path.", "write the destination inside the image as an absolute path, e.g. /etc/resolv.conf.");
        s.RejectUnknownKeys();
        return entry;
    }

    private static GrubSection ReadGrub(TomlSection? s)
    {
        if (s is null) return new GrubSection();
        var grub = new GrubSection
        {
            Password = s.String("passwd"),
            ExtraKernelArguments = s.StringList("cmdline") ?? [],
            TimeoutSeconds = s.Int("timeout", 0, 600) ?? 5,
        };
        s.RejectUnknownKeys();
        return grub;
    }

    private static IReadOnlyList<string> ReadNameList(TomlSection? s)
    {
        if (s is null) return [];
        var names = s.StringList("name", required: true) ?? [];
        s.RejectUnknownKeys();
        return names;
    }

    private static ChrootScriptSection? ReadChrootScript(TomlSection? s)
    {
        if (s is null) return null;
        var script = new ChrootScriptSection(s.String("path", required: true) ?? "", s.Bool("rm") ?? false);
        s.RejectUnknownKeys();
        return script;
    }

    private static DiskPartitionSection ReadDiskPartition(TomlSection? s)
    {
        if (s is null) return new DiskPartitionSection();
        var disk = new DiskPartitionSection
        {
            RootMiB = s.Int("root", 128, 1024 * 1024) ?? DiskPartitionSection.DefaultRootMiB,
            ImageSizeGiB = s.Int("img_size", 1, 64 * 1024) ?? DiskPartitionSection.DefaultImageSizeGiB,
            BootMiB = s.Int("boot", 34, 4096) ?? DiskPartitionSection.DefaultBootMiB,
        };
        s.RejectUnknownKeys();
        return disk;
    }

    private static DmVeritySection? ReadDmVerity(TomlSection? s)
    {
        if (s is null) return null;
        foreach (var key in new[] { "efi_key", "grub_key", "keys_dir" })
        {
            if (s.Has(key))
                s.Error(key, "is a secure-boot signing key; this builder makes unsigned dm-verity images.", $"remove {s.KeyPath(key)}.");
        }
        var verity = new DmVeritySection { HashMiB = s.Int("hash", 1, 64 * 1024) ?? 0 };
        s.RejectUnknownKeys();
        return verity;
    }
}
