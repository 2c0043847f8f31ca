using System.Text.RegularExpressions;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.Verity;

/// <summary>
/// The dm-verity hash tree through cryptsetup's veritysetup, with the parameters the image builder uses (4 KiB data
/// and hash blocks, sha256, superblock at the start of the hash partition), so systemd's verity generator opens a root
/// written by an upgrade exactly as it opens the one the image shipped with.
/// </summary>
public static partial class VeritySetup
{
    private static readonly string[] Blocks = ["--data-block-size=4096", "--hash-block-size=4096"];

    /// <summary>Writes the hash tree of <paramref name="data"/> into <paramref name="hash"/>; returns the root hash.</summary>
    public static async Task<string> FormatAsync(string data, string hash, CancellationToken cancellationToken)
    {
        string output;
        try
        {
            output = await CommandRunner.RunAsync(["veritysetup", "format", .. Blocks, data, hash], cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"veritysetup is needed to write the dm-verity hash tree of {data} and could not be run ({e.Message}); install cryptsetup (veritysetup) on the node", e);
        }
        catch (CommandFailedException e)
        {
            throw new InvalidOperationException($"writing the dm-verity hash tree of {data} into {hash} failed: {e.Message}", e);
        }
        var match = RootHash().Match(output);
        if (!match.Success)
            throw new InvalidOperationException($"veritysetup format printed no root hash for {data}: {output.Trim()}");
        // The tree must be on the disk before any boot entry names its root hash.
        NativeSync.Fsync(hash);
        return match.Groups[1].Value;
    }

    /// <summary>Reads all of <paramref name="data"/> against the tree; null when it verifies, else why not.</summary>
    public static async Task<string?> VerifyAsync(string data, string hash, string rootHash, CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await CommandRunner.TryRunAsync(["veritysetup", "verify", data, hash, rootHash], cancellationToken).ConfigureAwait(false);
        return code == 0 ? null : $"veritysetup verify {data} {hash} exited with {code}: {(stderr.Trim().Length > 0 ? stderr.Trim() : stdout.Trim())}";
    }

    [GeneratedRegex(@"Root hash:\s+([0-9a-f]{64})")]
    private static partial Regex RootHash();
}
