using KubeOS.ImageBuilder.Oci;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Admin;

/// <summary>Packs the customized admin root as a one-layer OCI image (and pushes it when asked).</summary>
internal sealed class AdminImageBuilder(ProcessRunner runner, HttpClient http)
{
    public async Task<ImageBuildResult> BuildAsync(ImageBuildOptions options, Configuration.ImageConfig config, string rootfs, string work,
        List<ImageArtifact> artifacts, Action<ImageBuildStage, string> report, CancellationToken ct)
    {
        var admin = config.AdminContainer!;
        var tag = AdminImage.Tag(admin);
        report(ImageBuildStage.OciImage, "writing the OCI image (admin container root)");
        var layerTar = Path.Combine(work, "admin-root.tar");
        await runner.RunAsync("tar", ["--numeric-owner", "--xattrs", "--xattrs-include=*", "-cf", layerTar, "-C", rootfs, "."], ct);
        var image = await OciLayoutWriter.WriteImageAsync(Path.Combine(options.OutputDirectory, "oci"), tag, AdminImage.RuntimeConfig(admin),
            new OciHistory("kbimg admin-container", $"KubeOS admin container {admin.ImageName}"),
            new Dictionary<string, string> { ["org.opencontainers.image.version"] = tag, ["org.opencontainers.image.ref.name"] = admin.ImageName },
            async (plain, token) =>
            {
                await using var source = new FileStream(layerTar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                await source.CopyToAsync(plain, 1 << 20, token);
            }, ct);
        File.Delete(layerTar);
        artifacts.Add(new ImageArtifact(ImageArtifactKind.OciLayout, image.LayoutDirectory, image.Layer.Size + image.Config.Size + image.Manifest.Size,
            image.Manifest.Digest["sha256:".Length..]));
        var pushed = await OciPush.PushIfRequestedAsync(http, options, image, report, ct);
        return new ImageBuildResult
        {
            Type = ImageType.Admin, Version = tag, Artifacts = artifacts, ManifestDigest = image.Manifest.Digest, PushedReference = pushed,
        };
    }
}
