using System.Management.Automation;

namespace KubeOS.PowerShell.Infrastructure;

/// <summary>
/// Turns -Path (wildcards) and -LiteralPath values into file-system paths, resolved against PowerShell's current
/// location rather than the process directory, reporting what cannot be found as ManifestFileNotFound errors.
/// </summary>
public static class ProviderPaths
{
    public static IEnumerable<string> ResolveFiles(PSCmdlet cmdlet, string path, bool literal) =>
        literal ? ResolveLiteral(cmdlet, path) : ResolveWildcard(cmdlet, path);

    private static IEnumerable<string> ResolveLiteral(PSCmdlet cmdlet, string path)
    {
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            cmdlet.WriteError(NotFound(path, ex));
            return [];
        }
        if (!File.Exists(full))
        {
            cmdlet.WriteError(NotFound(path, null));
            return [];
        }
        return [full];
    }

    private static IEnumerable<string> ResolveWildcard(PSCmdlet cmdlet, string path)
    {
        List<string> resolved;
        try
        {
            resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _)
                .Where(File.Exists).ToList();
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            cmdlet.WriteError(NotFound(path, ex));
            return [];
        }
        if (resolved.Count == 0)
        {
            cmdlet.WriteError(NotFound(path, null));
        }
        return resolved;
    }

    private static ErrorRecord NotFound(string path, Exception? inner) =>
        ErrorRecords.From(
            new ManifestFileNotFoundException($"Cannot find manifest file '{path}'.", inner)
            {
                RecommendedAction = "Check the path, or use -LiteralPath if the name contains wildcard characters such as [ or ].",
            },
            path);
}
