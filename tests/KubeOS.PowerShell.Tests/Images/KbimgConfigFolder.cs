namespace KubeOS.PowerShell.Tests.Images;

/// <summary>
/// A scratch folder holding a kbimg TOML file and the agent it names. The base root filesystem is shared with the
/// image builder's own tests (/var/tmp/kubeos-image-tests/cache): with the same suite, mirror and packages the cache
/// key is the same, so a build here reuses the root filesystem they installed.
/// </summary>
public sealed class KbimgConfigFolder : IDisposable
{
    public const string SharedCache = "/var/tmp/kubeos-image-tests/cache";

    public KbimgConfigFolder()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "os-agent"), "#!/bin/sh\nexec sleep infinity\n");
    }

    public string Root { get; } = Path.Combine("/var/tmp", "kubeos-pwsh-image-" + Guid.NewGuid().ToString("N")[..12]);
    public string OutputPath => Path.Combine(Root, "out");

    public string Write(string name, string extra = "", string version = "3.0.0")
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, $"""
            [from_repo]
            version = "{version}"
            agent_path = "os-agent"
            root_passwd = "$6$kubeos$WcQ3LX3NAo3nRn1Z0lbgJ6n4QqV4c5i6k0o7xJ8Xy2ZuKJ5bS7o6mOaQeYj3K0c9v8fQm1gWlW3yTqS0aL9eN."
            upgrade_img = "kubeos/os:{version}"
            {extra}

            [disk_partition]
            root = 600
            img_size = 4
            """);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
