using KubeOS.Api.Validation;

namespace KubeOS.PowerShell;

/// <summary>
/// One problem Test-KubeOSManifest found in one document of a manifest. The default table view and the
/// KubeOS.types.ps1xml extensions are keyed on this type's full name.
/// </summary>
public sealed class ManifestProblem
{
    /// <summary>The file the document came from, or "(content)" for -Content input.</summary>
    public required string Source { get; init; }

    /// <summary>Position of the document in a multi-document YAML stream, starting at 1.</summary>
    public required int Document { get; init; }

    /// <summary>Line of the document's start in the source, when known.</summary>
    public int? Line { get; init; }

    public string? Kind { get; init; }
    public string? Name { get; init; }

    /// <summary>Field path inside the document, e.g. spec.sysconfigs.configs[0].model.</summary>
    public required string Path { get; init; }

    public required ProblemSeverity Severity { get; init; }
    public required string Message { get; init; }
    public string? Fix { get; init; }
    public required string ErrorId { get; init; }

    public override string ToString() => $"{Path}: {Message}";
}
