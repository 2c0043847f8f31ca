using KubeOS.Agent.Node;

namespace KubeOS.Agent.Disk;

/// <summary>Temporary mounts under the agent's state directory, always undone.</summary>
public static class Mounts
{
    public static async Task<TemporaryMount> MountAsync(string device, string mountPoint, string options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(mountPoint);
        await CommandRunner.RunAsync(["mount", "-o", options, device, mountPoint], cancellationToken).ConfigureAwait(false);
        return new TemporaryMount(mountPoint);
    }

    /// <summary>Mount points below a directory (deepest first), from mountinfo; used to clear mounts a killed agent left.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory, string mountInfoPath = "/proc/self/mountinfo")
    {
        var prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return File.ReadAllLines(mountInfoPath)
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 4)
            .Select(f => Unescape(f[4]))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(p => p.Length)
            .ToList();
    }

    public static async Task UnmountAsync(string mountPoint, bool lazy = false)
    {
        var (code, _, stderr) = await CommandRunner.TryRunAsync(lazy ? ["umount", "-l", mountPoint] : ["umount", mountPoint]).ConfigureAwait(false);
        if (code != 0 && !lazy)
            throw new IOException($"umount {mountPoint} failed: {stderr.Trim()}");
    }

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}

public sealed class TemporaryMount(string mountPoint) : IAsyncDisposable
{
    public string Path { get; } = mountPoint;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Mounts.UnmountAsync(Path).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            AgentLog.Warn($"{e.Message}; detaching lazily");
            await Mounts.UnmountAsync(Path, lazy: true).ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
