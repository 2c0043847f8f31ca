namespace KubeOS.Api.Validation;

/// <summary>Accumulates problems so validation reports everything at once.</summary>
internal sealed class ProblemCollector
{
    public List<ValidationProblem> Problems { get; } = [];

    public void Error(string path, string message, string fix, string id) =>
        Problems.Add(new ValidationProblem(path, message, fix, id));

    public void Warning(string path, string message, string fix, string id) =>
        Problems.Add(new ValidationProblem(path, message, fix, id, ProblemSeverity.Warning));

    public void Required(string path, string fix) =>
        Error(path, "is required", fix, ErrorIds.RequiredFieldMissing);

    /// <summary>The CRD's maxLength, counted in characters as the API server counts them.</summary>
    public void MaxLength(string? value, string path, int max)
    {
        if (value is null) return;
        var length = value.EnumerateRunes().Count();
        if (length > max)
            Error(path, $"must be at most {max} characters, got {length}", $"Shorten {path} to {max} characters or fewer.", ErrorIds.FieldTooLong);
    }

    public static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";
}
