using System.Management.Automation;

namespace KubeOS.PowerShell.Infrastructure;

/// <summary>
/// Base of every exception the module raises. It derives from <see cref="Exception"/> and not from
/// <see cref="RuntimeException"/>: a typed <c>catch [KubeOSException]</c> in a script then sees our ErrorRecord
/// (stable id and category) instead of the one RuntimeException builds for itself.
/// </summary>
public class KubeOSException : Exception
{
    public KubeOSException(string message, string errorId, ErrorCategory category, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
    }

    /// <summary>Stable identifier; the engine prefixes it to the cmdlet name in FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>What the user should do about it; shown as the ErrorRecord's RecommendedAction.</summary>
    public string? RecommendedAction { get; init; }
}

/// <summary>A manifest file named by -Path or -LiteralPath does not exist.</summary>
public sealed class ManifestFileNotFoundException(string message, Exception? innerException = null)
    : KubeOSException(message, CmdletErrorIds.ManifestFileNotFound, ErrorCategory.ObjectNotFound, innerException);

/// <summary>A manifest (read from a file or built from parameters) breaks a validation rule.</summary>
public sealed class InvalidManifestException(string message, string errorId, ErrorCategory category = ErrorCategory.InvalidData)
    : KubeOSException(message, errorId, category);

/// <summary>Parameters that cannot be used together, or a value the cmdlet cannot use.</summary>
public sealed class KubeOSParameterException(string message, string errorId)
    : KubeOSException(message, errorId, ErrorCategory.InvalidArgument);
