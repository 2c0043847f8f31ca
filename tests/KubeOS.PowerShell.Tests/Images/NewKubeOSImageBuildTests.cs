using System.Management.Automation;
using System.Security.Cryptography;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Images;

/// <summary>
/// One real build through the cmdlet: an upgrade image, the quickest kind, from the root filesystem the image builder's
/// tests cached (about 15 s warm). The image contents themselves are checked by KubeOS.ImageBuilder.Tests.
/// </summary>
public sealed class NewKubeOSImageBuildTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>, IDisposable
{
    private readonly PowerShellSession _ps = fixture.Session;
    private readonly KbimgConfigFolder _folder = new();

    [Fact]
    public void An_upgrade_build_reports_each_stage_and_returns_the_artefacts_with_their_checksums()
    {
        var config = _folder.Write("upgrade.toml", version: "3.2.0");

        var result = _ps.Run("New-KubeOSImage -ConfigPath $Config -Type upgrade -OutputPath $Out -CacheDirectory $Cache",
            new() { ["Config"] = config, ["Out"] = _folder.OutputPath, ["Cache"] = KbimgConfigFolder.SharedCache });

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        var image = Assert.Single(result.Output);
        Assert.Equal("KubeOS.PowerShell.ImageBuildResult", image.TypeNames[0]);
        Assert.Equal("upgrade", image.Properties["Type"].Value);
        Assert.Equal("3.2.0", image.Properties["Version"].Value);
        Assert.True((TimeSpan)image.Properties["Duration"].Value > TimeSpan.Zero);
        Assert.Null(image.Properties["RootHash"].Value);

        var artefacts = ((IEnumerable<object>)image.Properties["Artefacts"].Value).Select(PSObject.AsPSObject).ToList();
        Assert.Equal(["RootImage", "RootfsTar", "OciLayout"], artefacts.Select(a => (string)a.Properties["Kind"].Value));
        foreach (var file in artefacts.Where(a => (string)a.Properties["Kind"].Value != "OciLayout"))
        {
            var path = (string)file.Properties["Path"].Value;
            Assert.Equal(new FileInfo(path).Length, (long)file.Properties["Size"].Value);
            Assert.Equal(Sha256Of(path), file.Properties["Sha256"].Value);
        }
        Assert.Equal(600L * 1024 * 1024, (long)artefacts[0].Properties["Size"].Value);
        var digest = (string)image.Properties["Digest"].Value;
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        Assert.Equal(digest["sha256:".Length..], artefacts[2].Properties["Sha256"].Value);

        // One activity for the whole build: a record per stage in order, then the Completed record.
        Assert.NotEmpty(result.Progress);
        Assert.Single(result.Progress.Select(p => p.ActivityId).Distinct());
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        var running = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.Equal(["Validate", "Rootfs", "Customize", "RootImage", "RootfsTar", "OciImage", "Checksums", "Done"],
            running.Select(p => p.CurrentOperation.Split(' ')[0]));
        Assert.Equal(running.Select(p => p.PercentComplete).Order(), running.Select(p => p.PercentComplete));
        Assert.Equal(100, running[^1].PercentComplete);
        Assert.Equal("Building KubeOS upgrade image 3.2.0", running[0].Activity);

        // The default table view shows the digest a manifest needs.
        var table = _ps.Render("$Image", new() { ["Image"] = image });
        Assert.Contains("Digest", table);
        Assert.Contains(digest, table);
        Assert.Contains("rootfs.img, kubeos.tar, oci", table);
    }

    [Fact]
    public void A_failing_build_step_is_an_ImageBuildFailed_error_and_the_progress_bar_is_completed()
    {
        File.WriteAllText(Path.Combine(_folder.Root, "fail.sh"), "#!/bin/sh\necho 'setup went wrong' >&2\nexit 3\n");
        var config = _folder.Write("failing.toml", extra: "\n[chroot_script]\npath = \"fail.sh\"");

        var result = _ps.Run("""
            try { New-KubeOSImage -ConfigPath $Config -Type upgrade -OutputPath $Out -CacheDirectory $Cache } catch { $_ }
            """, new() { ["Config"] = config, ["Out"] = _folder.OutputPath, ["Cache"] = KbimgConfigFolder.SharedCache });

        var error = Assert.Single(result.OutputOf<ErrorRecord>());
        Assert.Equal("ImageBuildFailed,KubeOS.PowerShell.Images.NewKubeOSImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("setup went wrong", error.Exception.Message);
        Assert.Contains("Customize", result.Progress.Select(p => p.CurrentOperation?.Split(' ')[0]));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        Assert.False(File.Exists(Path.Combine(_folder.OutputPath, "kubeos.tar")));
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _folder.Dispose();
}
