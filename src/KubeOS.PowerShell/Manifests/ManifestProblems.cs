using System.Management.Automation;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell;

/// <summary>Turns the validator's findings for one document into ManifestProblem objects and ErrorRecords.</summary>
internal static class ManifestProblems
{
    public static List<ManifestProblem> Of(ManifestDocument document, string source)
    {
        // Validate(document) reports the loading problems (syntax, wrong types) followed by the rules.
        return ManifestValidator.Validate(document).Select(p => new ManifestProblem
        {
            Source = source,
            Document = document.DocumentIndex + 1,
            Line = p.Line ?? document.LineOf(p.Path),
            Kind = document.Kind,
            Name = document.Name,
            Path = p.Path,
            Severity = p.Severity,
            Message = p.Message,
            Fix = p.Fix,
            ErrorId = p.ErrorId,
        }).ToList();
    }

    /// <summary>"file:line: OS/name: spec.checksum: message" — enough to find the field without the object.</summary>
    public static string Describe(ManifestProblem problem)
    {
        var where = problem.Line is { } line ? $"{problem.Source}:{line}" : $"{problem.Source} (document {problem.Document})";
        var what = string.IsNullOrEmpty(problem.Kind) ? "" : $"{problem.Kind}/{problem.Name}: ";
        return $"{where}: {what}{problem}";
    }

    public static ErrorRecord ToErrorRecord(ManifestProblem problem) =>
        ErrorRecords.From(new InvalidManifestException(Describe(problem), problem.ErrorId) { RecommendedAction = problem.Fix }, problem);
}
