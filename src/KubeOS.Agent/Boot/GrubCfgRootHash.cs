using KubeOS.Agent.Node;
using KubeOS.Agent.Settings;

namespace KubeOS.Agent.Boot;

/// <summary>
/// The dm-verity root hash a boot entry passes to the kernel (<c>roothash=</c> on its linux line in grub.cfg, where
/// the image builder puts entry A's). An upgrade that rewrites a root records the new root's hash on that root's entry.
/// </summary>
public static class GrubCfgRootHash
{
    private const string Key = "roothash=";

    /// <summary>The entry's root hash, or null when its linux line boots without dm-verity.</summary>
    public static string? Read(string grubCfgPath, string entry)
    {
        var lines = Lines(grubCfgPath);
        var token = Tokens(lines[LinuxLine(lines, grubCfgPath, entry)]).FirstOrDefault(t => t.StartsWith(Key, StringComparison.Ordinal));
        return token?[Key.Length..];
    }

    /// <summary>Throws unless the entry boots through dm-verity, i.e. has a roothash= to update.</summary>
    public static void RequireVerityEntry(string grubCfgPath, string entry)
    {
        if (Read(grubCfgPath, entry) is null)
            throw new InvalidOperationException(
                $"the disk has dm-verity hash partitions but entry {entry} in {grubCfgPath} has no roothash= on its linux line; rebuild the boot partition with the dm-verity image builder. Nothing was written");
    }

    /// <summary>Replaces the entry's roothash= in place (atomic file replace); returns the previous value.</summary>
    public static async Task<string> WriteAsync(string grubCfgPath, string entry, string rootHash)
    {
        if (rootHash.Length != 64 || !rootHash.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"root hash '{rootHash}' is not 64 lower-case hex digits", nameof(rootHash));
        var lines = Lines(grubCfgPath);
        var at = LinuxLine(lines, grubCfgPath, entry);
        var indent = lines[at][..(lines[at].Length - lines[at].TrimStart().Length)];
        var tokens = Tokens(lines[at]);
        var found = tokens.FindIndex(t => t.StartsWith(Key, StringComparison.Ordinal));
        if (found < 0)
            throw new InvalidOperationException($"entry {entry} in {grubCfgPath} has no roothash= on its linux line");
        var previous = tokens[found][Key.Length..];
        tokens[found] = Key + rootHash;
        lines[at] = indent + string.Join(' ', tokens);
        await SettingsValues.WriteFileAsync(grubCfgPath, string.Concat(lines.Select(l => l + "\n"))).ConfigureAwait(false);
        // The rename is only durable once the directory is: until then GRUB could still read the old hash.
        NativeSync.Fsync(Path.GetDirectoryName(Path.GetFullPath(grubCfgPath))!);
        return previous;
    }

    private static List<string> Lines(string grubCfgPath) =>
        File.Exists(grubCfgPath)
            ? File.ReadAllLines(grubCfgPath).ToList()
            : throw new InvalidOperationException($"{grubCfgPath} does not exist; the dm-verity root hash of each entry is kept there");

    private static int LinuxLine(List<string> lines, string grubCfgPath, string entry)
    {
        var linux = lines.Select((line, i) => (line, i)).Where(x => GrubCmdlineModel.IsLinuxLine(x.line)).Select(x => x.i).ToList();
        var ordinal = entry == "A" ? 0 : 1;
        return linux.Count > ordinal
            ? linux[ordinal]
            : throw new InvalidOperationException($"{grubCfgPath} has no linux line with root= for entry {entry}");
    }

    private static List<string> Tokens(string line) => line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
}
