using System.Text;

namespace KubeOS.Agent.Boot;

/// <summary>
/// The GRUB environment block: a 1024-byte file of "name=value" lines after a fixed header, padded with '#'. GRUB's
/// save_env rewrites it in place at boot (to clear next_entry), so it must keep exactly that size.
/// </summary>
public static class GrubEnv
{
    public const int BlockSize = 1024;
    private const string Header = "# GRUB Environment Block\n";

    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> block)
    {
        var text = Encoding.UTF8.GetString(block);
        if (!text.StartsWith(Header, StringComparison.Ordinal))
            throw new InvalidDataException("not a GRUB environment block (missing '# GRUB Environment Block' header)");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[Header.Length..].Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var eq = line.IndexOf('=');
            if (eq > 0)
                values[line[..eq]] = Unescape(line[(eq + 1)..]);
        }
        return values;
    }

    public static byte[] Render(IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder(Header);
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\n'))
                throw new ArgumentException($"invalid GRUB environment variable name '{key}'");
            builder.Append(key).Append('=').Append(Escape(value)).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        if (bytes.Length > BlockSize)
            throw new InvalidOperationException($"GRUB environment would need {bytes.Length} bytes, more than its {BlockSize}-byte block");
        var block = new byte[BlockSize];
        bytes.CopyTo(block, 0);
        block.AsSpan(bytes.Length).Fill((byte)'#');
        return block;
    }

    public static Dictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"GRUB environment block {path} does not exist; the ESP must be mounted and hold grubenv", path);
        return Parse(File.ReadAllBytes(path));
    }

    /// <summary>Writes a new block beside the old one, syncs it, and renames it over — a crash leaves either block whole.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, string> values)
    {
        var block = Render(values);
        var temp = path + ".new";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(block);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        // The rename itself must reach the disk before a reboot reads the ESP.
        Node.NativeSync.Fsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Applies changes (null value = unset) and writes only when something differs.</summary>
    public static bool Update(string path, IReadOnlyDictionary<string, string?> changes)
    {
        var values = Read(path);
        var changed = false;
        foreach (var (key, value) in changes)
        {
            if (value is null)
                changed |= values.Remove(key);
            else if (!values.TryGetValue(key, out var old) || old != value)
            {
                values[key] = value;
                changed = true;
            }
        }
        if (changed)
            Write(path, values);
        return changed;
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\\\", "\\");
}
