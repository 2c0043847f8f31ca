namespace KubeOS.ImageBuilder.Configuration;

/// <summary>
/// The whole build description, as read from a kbimg TOML file (KubeOS key names) or built in code.
/// Sizes are in MiB unless the name says otherwise.
/// </summary>
public sealed record ImageConfig
{
    public FromRepoSection? FromRepo { get; init; }
    public IReadOnlyList<UserEntry> Users { get; init; } = [];
    public IReadOnlyList<CopyFileEntry> CopyFiles { get; init; } = [];
    public GrubSection Grub { get; init; } = new();
    public IReadOnlyList<string> SystemdServices { get; init; } = [];
    public ChrootScriptSection? ChrootScript { get; init; }
    public DiskPartitionSection DiskPartition { get; init; } = new();
    public IReadOnlyList<string> PersistDirectories { get; init; } = [];
    public DmVeritySection? DmVerity { get; init; }
    public AdminContainerSection? AdminContainer { get; init; }
    public PxeConfigSection? PxeConfig { get; init; }

    /// <summary>Folder relative paths in the file are resolved against (the TOML file's folder).</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));
}

/// <summary><c>[from_repo]</c>: the root filesystem built from distribution packages.</summary>
public sealed record FromRepoSection
{
    public string Version { get; init; } = "";
    /// <summary>Optional package source list (sources.list or deb822) handed to the package source; replaces <see cref="Mirror"/>.</summary>
    public string? RepoPath { get; init; }
    public string AgentPath { get; init; } = "";
    public string RootPasswordHash { get; init; } = "";
    /// <summary>The user's packages (KubeOS key <c>rpmlist</c>; package names of the chosen distribution).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
    public string? UpgradeImage { get; init; }
    /// <summary>True: the disk also boots from legacy BIOS (BIOS boot partition and GRUB i386-pc in the MBR).</summary>
    public bool LegacyBios { get; init; }
    public string Suite { get; init; } = "bookworm";
    public string Mirror { get; init; } = "http://deb.debian.org/debian";
}

public sealed record UserEntry(string Name, string Password, string? PrimaryGroup, IReadOnlyList<string> Groups);

public sealed record CopyFileEntry(string Source, string Destination, bool CreateDirectory);

/// <summary><c>[grub]</c>: boot menu password and extra kernel arguments for both entries.</summary>
public sealed record GrubSection
{
    public string? Password { get; init; }
    public IReadOnlyList<string> ExtraKernelArguments { get; init; } = [];
    public int TimeoutSeconds { get; init; } = 5;
}

public sealed record ChrootScriptSection(string Path, bool Remove);

/// <summary><c>[disk_partition]</c>: KubeOS sizes plus the ESP size.</summary>
public sealed record DiskPartitionSection
{
    public const int DefaultRootMiB = 2560;
    public const int DefaultImageSizeGiB = 20;
    public const int DefaultBootMiB = 60;
    /// <summary>KubeOS refuses layouts that leave less than this for PERSIST.</summary>
    public const int MinimumPersistMiB = 2100;

    public int RootMiB { get; init; } = DefaultRootMiB;
    public int ImageSizeGiB { get; init; } = DefaultImageSizeGiB;
    public int BootMiB { get; init; } = DefaultBootMiB;
}

/// <summary><c>[dm_verity]</c>: present = build the verity variant.</summary>
public sealed record DmVeritySection
{
    /// <summary>Hash partition size per root; 0 = derived from the root size.</summary>
    public int HashMiB { get; init; }
}
