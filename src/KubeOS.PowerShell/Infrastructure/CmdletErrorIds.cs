namespace KubeOS.PowerShell.Infrastructure;

/// <summary>
/// Error ids the module's cmdlets use. Scripts match on them (<c>$_.FullyQualifiedErrorId -like 'ManifestFileNotFound,*'</c>),
/// so they never change once released.
/// </summary>
public static class CmdletErrorIds
{
    public const string ManifestFileNotFound = "ManifestFileNotFound";
    public const string ManifestUnreadable = "ManifestUnreadable";
    public const string ManifestInvalid = "ManifestInvalid";
    public const string InvalidManifestParameter = "InvalidManifestParameter";
    public const string ParameterConflict = "ParameterConflict";
    public const string InvalidSettings = "InvalidSettings";
}
