namespace KubeOS.ImageBuilder.Oci;

/// <summary>The optional push at the end of an upgrade or admin image build.</summary>
internal static class OciPush
{
    /// <returns>The reference pushed to, or null when the build was not asked to push.</returns>
    public static async Task<string?> PushIfRequestedAsync(HttpClient http, ImageBuildOptions options, OciImage image,
        Action<ImageBuildStage, string> report, CancellationToken ct)
    {
        if (options.PushReference is not { } push) return null;
        ImageReference.TryParse(push, out var target, out _);
        report(ImageBuildStage.Push, $"pushing to {target}");
        await new OciRegistryClient(http, options.PlainHttpRegistry).PushAsync(image, target, ct);
        return target.ToString();
    }
}
