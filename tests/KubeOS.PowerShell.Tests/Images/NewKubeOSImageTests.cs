using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Images;

public sealed class NewKubeOSImageTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>, IDisposable
{
    private const string CmdletId = "KubeOS.PowerShell.Images.NewKubeOSImageCommand";
    private readonly PowerShellSession _ps = fixture.Session;
    private readonly KbimgConfigFolder _folder = new();

    [Fact]
    public void WhatIf_lists_the_stages_partitions_and_artefacts_and_creates_no_files()
    {
        var config = _folder.Write("vm.toml");

        var result = _ps.Run("New-KubeOSImage -ConfigPath $Config -Type vm -OutputPath $Out -CacheDirectory $Cache -WhatIf",
            new() { ["Config"] = config, ["Out"] = _folder.OutputPath, ["Cache"] = KbimgConfigFolder.SharedCache });

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Empty(result.Output);
        Assert.Contains($"What if: Build KubeOS vm image 3.0.0 from '{config}'.", result.HostText);
        Assert.Contains("Stages: Validate, Rootfs, Customize, RootImage, BootFiles, Disk, Convert, Checksums, Done", result.HostText);
        // 4 GiB disk, 600 MiB roots: the partition sizes come from the library's layout of this config.
        Assert.Contains("ROOT-A: 600 MiB", result.HostText);
        Assert.Contains("ROOT-B: 600 MiB", result.HostText);
        Assert.Contains("PERSIST: ", result.HostText);
        Assert.Contains($"Artefact RawDisk: {Path.Combine(_folder.OutputPath, "system.img")} (4096 MiB)", result.HostText);
        Assert.Contains($"Artefact Qcow2Disk: {Path.Combine(_folder.OutputPath, "system.qcow2")}", result.HostText);
        Assert.False(Directory.Exists(_folder.OutputPath), "-WhatIf created the output folder");
        Assert.Empty(result.Progress);
    }

    [Fact]
    public void WhatIf_for_an_upgrade_image_lists_its_payloads_and_NoQcow2_is_honoured_for_vm()
    {
        var config = _folder.Write("upgrade.toml");

        var upgrade = _ps.Run("New-KubeOSImage $Config upgrade -OutputPath $Out -CacheDirectory $Cache -WhatIf",
            new() { ["Config"] = config, ["Out"] = _folder.OutputPath, ["Cache"] = KbimgConfigFolder.SharedCache });
        var vm = _ps.Run("New-KubeOSImage $Config -OutputPath $Out -CacheDirectory $Cache -NoQcow2 -WhatIf",
            new() { ["Config"] = config, ["Out"] = _folder.OutputPath, ["Cache"] = KbimgConfigFolder.SharedCache });

        Assert.True(upgrade.Errors.Count == 0 && upgrade.Terminating is null, upgrade.ToString());
        Assert.Contains("Stages: Validate, Rootfs, Customize, RootImage, RootfsTar, OciImage, Checksums, Done", upgrade.HostText);
        Assert.Contains($"Artefact RootImage: {Path.Combine(_folder.OutputPath, "rootfs.img")} (600 MiB)", upgrade.HostText);
        Assert.Contains("Artefact OciLayout: ", upgrade.HostText);
        Assert.DoesNotContain("Partition ", upgrade.HostText);
        Assert.True(vm.Errors.Count == 0 && vm.Terminating is null, vm.ToString());
        Assert.DoesNotContain("Convert", vm.HostText);
        Assert.DoesNotContain("system.qcow2", vm.HostText);
        Assert.False(Directory.Exists(_folder.OutputPath));
    }

    [Fact]
    public void Config_files_bind_from_the_pipeline_by_their_FullName()
    {
        var config = _folder.Write("piped.toml", version: "3.1.0");

        var result = _ps.Run("[pscustomobject]@{ FullName = $Config } | New-KubeOSImage -Type upgrade -CacheDirectory $Cache -WhatIf",
            new() { ["Config"] = config, ["Cache"] = KbimgConfigFolder.SharedCache });

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Contains($"Build KubeOS upgrade image 3.1.0 from '{config}'", result.HostText);
    }

    [Fact]
    public void An_unknown_key_is_a_terminating_ImageConfigInvalid_error_naming_the_key_and_the_fix()
    {
        var config = _folder.Write("unknown.toml", extra: "colour = \"blue\"");

        var error = _ps.Catch("New-KubeOSImage -ConfigPath $Config -OutputPath $Out -WhatIf",
            new() { ["Config"] = config, ["Out"] = _folder.OutputPath });

        Assert.NotNull(error);
        Assert.Equal($"ImageConfigInvalid,{CmdletId}", error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(config, error.TargetObject);
        Assert.Contains("from_repo.colour", error.Exception.Message);
        Assert.Contains("Fix:", error.Exception.Message);
        Assert.Contains("from_repo.colour", error.ErrorDetails.RecommendedAction);
        Assert.False(Directory.Exists(_folder.OutputPath));
    }

    [Fact]
    public void Every_problem_of_a_bad_config_is_in_the_one_error()
    {
        var config = _folder.Write("two.toml", extra: "legacy_bios = \"yes\"\nflavour = 1");

        var error = _ps.Catch("New-KubeOSImage -ConfigPath $Config -WhatIf", new() { ["Config"] = config });

        Assert.NotNull(error);
        Assert.Equal($"ImageConfigInvalid,{CmdletId}", error!.FullyQualifiedErrorId);
        Assert.Contains("from_repo.legacy_bios", error.Exception.Message);
        Assert.Contains("from_repo.flavour", error.Exception.Message);
    }

    [Fact]
    public void A_missing_config_file_is_an_ObjectNotFound_error_resolved_against_the_current_location()
    {
        var error = _ps.Catch("""
            # Set-Location is not in the hosted engine; this is what it does.
            $null = $ExecutionContext.SessionState.Path.SetLocation($Folder)
            New-KubeOSImage -ConfigPath ./missing.toml -WhatIf
            """, new() { ["Folder"] = _folder.Root });

        Assert.NotNull(error);
        Assert.Equal($"ImageConfigNotFound,{CmdletId}", error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("./missing.toml", error.TargetObject);
        Assert.Contains("missing.toml", error.Exception.Message);
    }

    [Fact]
    public void Type_accepts_exactly_the_library_image_types()
    {
        var result = _ps.Run("""
            $set = (Get-Command New-KubeOSImage).Parameters['Type'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
            [pscustomobject]@{
                Allowed = @($set.ValidValues)
                # The module loads the library on first use; load it from the module folder as the module would.
                Library = @([enum]::GetNames([System.Reflection.Assembly]::LoadFrom($Library).GetType('KubeOS.ImageBuilder.ImageType', $true)) |
                    ForEach-Object { $_.ToLowerInvariant() })
            }
            """, new() { ["Library"] = Path.Combine(RepoPaths.ModuleFolder, "KubeOS.ImageBuilder.dll") });
        var row = Assert.Single(result.Output);
        var allowed = ((object[])row.Properties["Allowed"].Value).Select(o => o.ToString()).Order();
        var library = ((object[])row.Properties["Library"].Value).Select(o => o.ToString()).Order();
        Assert.Equal(library, allowed);

        var bad = _ps.Catch("New-KubeOSImage -ConfigPath $Config -Type iso -WhatIf", new() { ["Config"] = _folder.Write("x.toml") });
        Assert.Equal("ParameterArgumentValidationError,KubeOS.PowerShell.Images.NewKubeOSImageCommand", bad!.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_Help_Examples_shows_the_cmdlets_examples()
    {
        var text = _ps.Render("Get-Help New-KubeOSImage -Examples");

        Assert.Contains("Example 1: See what a build would do", text);
        Assert.Contains("New-KubeOSImage -ConfigPath ./kbimg.toml -Type vm -WhatIf", text);
        Assert.Contains("Get-ChildItem ./images -Filter *.toml | New-KubeOSImage -Type vm -NoQcow2", text);
    }

    public void Dispose() => _folder.Dispose();
}
