using KubeOS.Api;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// KubeOS names certificates by file name; os-agent reads them from /etc/KubeOS/certs on the node. A bare name or a
/// path in that directory is accepted, anything else would point the node at a file it never reads.
/// </summary>
internal static class CertificateFileName
{
    public static string? Of(string? path, string parameter)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var normalized = path.Replace('\\', '/');
        var directory = WellKnown.Paths.CertsDirectory + "/";
        if (normalized.StartsWith(directory, StringComparison.Ordinal)) normalized = normalized[directory.Length..];
        if (normalized.Length == 0 || normalized.Contains('/'))
        {
            throw new KubeOSParameterException(
                $"-{parameter} '{path}' is not a file in {WellKnown.Paths.CertsDirectory}: os-agent reads certificates only from there, on the node.",
                RolloutErrorIds.InvalidRolloutParameter)
            {
                RecommendedAction = $"Copy the file to {WellKnown.Paths.CertsDirectory} on every node and give its name, e.g. -{parameter} ca.pem.",
            };
        }
        return normalized;
    }
}
