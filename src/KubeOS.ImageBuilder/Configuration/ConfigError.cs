namespace KubeOS.ImageBuilder.Configuration;

/// <summary>One problem in a build description: the key it concerns (TOML path), what is wrong and how to fix it.</summary>
public sealed record ConfigError(string Key, string Problem, string Fix)
{
    public override string ToString() => $"{Key}: {Problem} Fix: {Fix}";
}

/// <summary>Raised when a build description cannot be used; carries every problem found, not just the first.</summary>
public sealed class ImageConfigException : Exception
{
    public ImageConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors)) => Errors = errors;

    public ImageConfigException(ConfigError error) : this([error]) { }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1
            ? $"Invalid image configuration: {errors[0]}"
            : "Invalid image configuration:" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
