using System.Management.Automation;
using KubeOS.Client;
using KubeOS.Client.Configuration;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>
/// Start-KubeOSSandbox: runs kubeos-sandbox (shipped in the module's sandbox/ folder) under dotnet, waits until its API
/// server answers, installs the KubeOS CRDs and makes it this session's default cluster. Unless -WithoutOperator is
/// given the sandbox also installs the KubeOS operator and proxies, so OS objects written to it roll out.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KubeOSSandbox", SupportsShouldProcess = true)]
[OutputType(typeof(SandboxInfo))]
public sealed class StartKubeOSSandboxCommand : PipelineCmdlet
{
    private const int ProgressId = 0x5AB0;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    [Parameter(Position = 0)]
    [ValidateRange(1, 500)]
    public int Nodes { get; set; } = 3;

    [Parameter]
    [ValidateRange(0, 200)]
    public int Workloads { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    public string? Name { get; set; }

    /// <summary>Start without the KubeOS operator and proxies: only the CRDs are installed, nothing rolls out.</summary>
    [Parameter]
    public SwitchParameter WithoutOperator { get; set; }

    protected override void EndProcessing()
    {
        var registry = SandboxRegistry.ForCurrentRunspace()
            ?? throw new PSInvalidOperationException("Start-KubeOSSandbox must run in a PowerShell runspace.");
        var name = Name ?? registry.NextName();
        if (registry.Contains(name))
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.SandboxNameInUse, ErrorCategory.ResourceExists, name,
                $"This session already runs a sandbox named '{name}'.",
                "Choose another -Name, or stop the running one first with Stop-KubeOSSandbox -Name " + name + "."));
        }
        if (!ShouldProcess($"{name} ({Nodes} node(s), {Workloads} workload(s))", "Start KubeOS sandbox"))
        {
            return;
        }

        var dotnet = DotnetLocator.FindFromEnvironment();
        if (dotnet is null)
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.DotnetNotFound, ErrorCategory.ObjectNotFound, DotnetLocator.ExecutableName,
                "The sandbox runs on .NET, but 'dotnet' was not found on PATH.",
                "Install the .NET runtime 8 or later (with ASP.NET Core) and make sure 'dotnet' is on PATH, or set DOTNET_ROOT."));
        }
        var dll = SandboxFiles.EntryAssembly;
        if (!File.Exists(dll))
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.SandboxNotInstalled, ErrorCategory.ObjectNotFound, dll,
                $"The sandbox is not installed with this module: '{dll}' does not exist.",
                "Reinstall the KubeOS module; its folder must contain sandbox/kubeos-sandbox.dll."));
        }

        var progress = new ProgressRecord(ProgressId, $"Starting KubeOS sandbox '{name}'", "Starting kubeos-sandbox");
        Report(progress, 5, $"Starting kubeos-sandbox with {Nodes} node(s)");
        var process = SandboxProcess.Start(dotnet!, dll, Nodes, Workloads, installKubeOS: !WithoutOperator);
        WriteVerbose($"Started {dotnet} {dll} as process {process.ProcessId}.");
        try
        {
            var info = Prepare(name, process, progress);
            registry.Add(new RunningSandbox(info, process));
            WriteVerbose($"Sandbox '{name}' is this session's default cluster ({info.KubeconfigPath}).");
            WriteObject(info);
        }
        catch
        {
            process.Stop(TimeSpan.FromSeconds(5));
            process.Dispose();
            throw;
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, progress.Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private SandboxInfo Prepare(string name, SandboxProcess process, ProgressRecord progress)
    {
        Report(progress, 20, "Waiting for the API server and the simulated nodes");
        string kubeconfig;
        try
        {
            kubeconfig = Await(ct => process.WaitForKubeconfigAsync(StartTimeout, ct));
        }
        catch (SandboxStartException ex)
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.SandboxStartFailed, ErrorCategory.OpenError, name, ex.Message,
                "Run 'dotnet <module folder>/sandbox/kubeos-sandbox.dll --nodes 1' to see the problem; the sandbox needs the ASP.NET Core runtime.", ex));
            throw; // not reached
        }

        var target = KubeconfigLoader.Load(new KubeconfigSource([kubeconfig], KubeconfigOrigin.SessionSandbox), null);
        using var cluster = KubeOSCluster.Connect(target, PostVerbose);
        try
        {
            Report(progress, 50, $"Waiting for {target.Server} to answer");
            Await(ct => WaitUntilAsync(async c => (await cluster.GetServerVersionAsync(c).ConfigureAwait(false)) is not null, ct));

            Report(progress, 70, "Installing the KubeOS CRDs (OS, OSInstance)");
            Await(ct => cluster.ApplyCustomResourceDefinitionsAsync(ReadyTimeout, ct));

            Report(progress, 90, $"Waiting for {Nodes} node(s) to register");
            Await(ct => WaitUntilAsync(async c => (await cluster.ListNodesAsync(c).ConfigureAwait(false)).Count >= Nodes, ct));
        }
        catch (Exception ex) when (ex is ClusterApiException or TimeoutException)
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.SandboxStartFailed, ErrorCategory.OpenError, name,
                $"The sandbox started but did not become ready: {ex.Message}{process.RecentOutput()}",
                "Try again; if it keeps failing, run the sandbox by hand to see its output.", ex));
        }

        return new SandboxInfo
        {
            Name = name,
            Endpoint = new Uri(target.Server),
            KubeconfigPath = kubeconfig,
            ProcessId = process.ProcessId,
            Nodes = Nodes,
            Workloads = Workloads,
            StartTime = process.StartTime,
        };
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; API failures count as "not yet" until the deadline.</summary>
    private static async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        ClusterApiException? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false)) return true;
            }
            catch (ClusterApiException ex)
            {
                last = ex;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
        throw last ?? (Exception)new TimeoutException($"the sandbox was not ready within {ReadyTimeout.TotalSeconds:0} s");
    }

    // A new record each time: the engine keeps the records it is given, and hosts may read them later.
    private void Report(ProgressRecord progress, int percent, string status) =>
        WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, status) { PercentComplete = percent });
}
