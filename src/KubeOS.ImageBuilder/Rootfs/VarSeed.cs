using System.Text;

namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>
/// /var lives on PERSIST, so what a new image ships in /var would be hidden by the bind mount. The image keeps a copy
/// in /usr/share/factory/var and a tmpfiles.d file that creates missing directories and copies missing files at boot.
/// </summary>
public static class VarSeed
{
    public const string FactoryPath = "usr/share/factory/var";
    public const string TmpfilesPath = "usr/lib/tmpfiles.d/kubeos-var.conf";

    public static string Render(string varDirectory)
    {
        var sb = new StringBuilder("# Seeds /var (bind-mounted from /persist/var) with what this image ships.\n");
        Walk(varDirectory, "/var", sb);
        return sb.ToString();
    }

    private static void Walk(string dir, string guestPath, StringBuilder sb)
    {
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = guestPath + "/" + entry.Name;
            if (path.Any(char.IsWhiteSpace)) continue;
            if (entry is DirectoryInfo d && d.LinkTarget is null)
            {
                var mode = Convert.ToString((int)d.UnixFileMode & 0xFFF, 8).PadLeft(4, '0');
                sb.Append("d ").Append(path).Append(' ').Append(mode).AppendLine(" - - -");
                Walk(d.FullName, path, sb);
            }
            else
            {
                sb.Append("C ").Append(path).Append(" - - - - /").Append(FactoryPath).Append(path[4..]).AppendLine();
            }
        }
    }
}
