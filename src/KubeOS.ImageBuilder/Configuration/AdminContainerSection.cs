namespace KubeOS.ImageBuilder.Configuration;

/// <summary>
/// <c>[admin_container]</c>: the admin container image (kubeos.md §6.6). KubeOS keys <c>img_name</c> and
/// <c>hostshell</c>; additions <c>packages</c> (extra Debian packages) and <c>ssh_port</c> (the image's default port).
/// The root comes from <c>[from_repo]</c>'s suite, mirror and repo_path when that table is present.
/// </summary>
public sealed record AdminContainerSection
{
    public const int DefaultSshPort = 22;

    /// <summary>The image name; its tag (or "latest") names the image in the OCI layout.</summary>
    public string ImageName { get; init; } = "";
    /// <summary>Optional replacement for the image's /usr/local/bin/hostshell (KubeOS builds a Go binary here).</summary>
    public string? HostShellPath { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];
    public int SshPort { get; init; } = DefaultSshPort;
}
