using System.Management.Automation;
using KubeOS.ImageBuilder;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Images;

/// <summary>
/// New-KubeOSImage: builds a KubeOS VM disk, upgrade payload, PXE installer or admin container image from a kbimg TOML
/// file with the image builder library (the same code kbimg runs). -WhatIf shows the library's plan and builds nothing.
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeOSImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImageBuildResult))]
public sealed class NewKubeOSImageCommand : PipelineCmdlet
{
    // Stable so a host shows one progress bar per build, whatever the stage.
    private const int ProgressId = 0x1A6E;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    [Parameter(Position = 1)]
    [ValidateSet(ImageTypeParameter.Vm, ImageTypeParameter.Upgrade, ImageTypeParameter.Admin, ImageTypeParameter.Pxe)]
    public string Type { get; set; } = ImageTypeParameter.Vm;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CacheDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Push { get; set; }

    [Parameter]
    public SwitchParameter PlainHttp { get; set; }

    [Parameter]
    public SwitchParameter NoQcow2 { get; set; }

    [Parameter]
    public SwitchParameter NoCache { get; set; }

    protected override void ProcessRecord()
    {
        var configPath = ResolveConfigPath();
        var options = new ImageBuildOptions
        {
            ConfigPath = configPath,
            Type = ImageTypeParameter.Parse(Type),
            OutputDirectory = FileSystemPath(OutputPath ?? "kbimg-out"),
            CacheDirectory = CacheDirectory is null ? ImageBuildOptions.DefaultCacheDirectory : FileSystemPath(CacheDirectory),
            Qcow2 = !NoQcow2,
            PushReference = Push,
            PlainHttpRegistry = PlainHttp,
            NoCache = NoCache,
        };
        var builder = new KubeOSImageBuilder(log: PostVerbose);

        var plan = Run(ct => builder.PlanAsync(options, ct), configPath);
        foreach (var warning in plan.Warnings)
        {
            WriteWarning(warning);
        }
        var description = ImagePlanText.Describe(plan, configPath);
        if (!ShouldProcess(description, $"Build the KubeOS {Type} image {plan.Version} into '{options.OutputDirectory}'?", "New-KubeOSImage"))
        {
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            ThrowTerminatingError(ErrorRecords.Create(ImageErrorIds.ImageBuildRequiresRoot, ErrorCategory.PermissionDenied, configPath,
                "Building a KubeOS image needs root: the root filesystem keeps its owners and device nodes, and chroot_script runs with chroot.",
                "Run PowerShell as root (sudo pwsh), or use -WhatIf to check the configuration without building."));
        }

        var activity = $"Building KubeOS {Type} image {plan.Version}";
        var progress = new StageProgress(this, activity);
        try
        {
            var result = Run(ct => builder.BuildAsync(options, progress, ct), configPath);
            WriteObject(ImageBuildResult.From(result));
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private T Run<T>(Func<CancellationToken, Task<T>> work, string configPath)
    {
        try
        {
            return Await(work);
        }
        catch (Exception ex) when (ImageBuildErrors.From(ex, configPath) is { } record)
        {
            ThrowTerminatingError(record);
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    private string ResolveConfigPath()
    {
        string full;
        try
        {
            full = FileSystemPath(ConfigPath);
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            ThrowTerminatingError(ConfigNotFound(ex));
            throw; // not reached
        }
        if (!File.Exists(full))
        {
            ThrowTerminatingError(ConfigNotFound(null));
        }
        return full;
    }

    private ErrorRecord ConfigNotFound(Exception? inner) =>
        ErrorRecords.Create(ImageErrorIds.ImageConfigNotFound, ErrorCategory.ObjectNotFound, ConfigPath,
            $"Cannot find the image configuration file '{ConfigPath}'.",
            "Pass the path of a kbimg TOML file to -ConfigPath (relative paths start at the current location).", inner);

    /// <summary>Relative paths start at PowerShell's current location, not the process's working directory.</summary>
    private string FileSystemPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Turns each stage the library reports into a progress record, written from the pipeline thread.</summary>
    private sealed class StageProgress(NewKubeOSImageCommand cmdlet, string activity) : IProgress<ImageBuildProgress>
    {
        public void Report(ImageBuildProgress value)
        {
            var record = new ProgressRecord(ProgressId, activity, value.Message)
            {
                CurrentOperation = $"{value.Stage} ({value.StageIndex + 1} of {value.StageCount})",
                PercentComplete = value.PercentComplete,
            };
            cmdlet.Post(() => cmdlet.WriteProgress(record));
            cmdlet.Post(() => cmdlet.WriteVerbose($"{value.Stage}: {value.Message}"));
        }
    }
}
