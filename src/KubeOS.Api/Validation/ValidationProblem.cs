namespace KubeOS.Api.Validation;

public enum ProblemSeverity
{
    Error,
    Warning,
}

/// <summary>One thing wrong with a manifest: where, what (with the bad value), and how to fix it.</summary>
/// <param name="Path">Field path such as <c>spec.sysconfigs.configs[0].contents[1].key</c>; empty for the whole document.</param>
/// <param name="Message">What is wrong, quoting the bad value.</param>
/// <param name="Fix">One sentence saying what to do.</param>
/// <param name="ErrorId">A stable identifier from <see cref="ErrorIds"/>.</param>
/// <param name="Severity">Errors reject the manifest; warnings do not.</param>
public sealed record ValidationProblem(
    string Path,
    string Message,
    string Fix,
    string ErrorId,
    ProblemSeverity Severity = ProblemSeverity.Error)
{
    /// <summary>One-based source line, when the problem came from a file.</summary>
    public int? Line { get; init; }

    /// <summary>One-based source column, when known.</summary>
    public int? Column { get; init; }

    public bool IsError => Severity == ProblemSeverity.Error;

    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
