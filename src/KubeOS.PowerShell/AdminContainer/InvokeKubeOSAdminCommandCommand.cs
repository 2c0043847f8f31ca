using System.Diagnostics;
using System.Management.Automation;
using KubeOS.Client;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;
using Renci.SshNet.Common;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Invoke-KubeOSAdminCommand: runs one shell command in the host namespaces of each node, through an admin container
/// deployed for the call and removed afterwards. Nodes run in parallel up to -ThrottleLimit; each gives one
/// <see cref="AdminCommandResult"/> or one non-terminating error.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubeOSAdminCommand", SupportsShouldProcess = true)]
[OutputType(typeof(AdminCommandResult))]
public sealed class InvokeKubeOSAdminCommandCommand : AdminContainerCmdlet
{
    private readonly List<string> _nodes = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    /// <summary>Shell command line, run by the host's /bin/sh -c.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    protected override void ProcessRecord()
    {
        foreach (var node in Node)
        {
            if (!_nodes.Contains(node, StringComparer.Ordinal)
                && ShouldProcess(node, $"Run '{Command}' in the host namespaces through a new admin container (pod in {Namespace}, image {Image})"))
            {
                _nodes.Add(node);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_nodes.Count == 0) return;
        using var login = OpenLoginKey();
        var options = Options;
        var pods = Pods;
        Await(async ct =>
        {
            using var throttle = new SemaphoreSlim(ThrottleLimit);
            await Task.WhenAll(_nodes.Select(node => RunThrottledAsync(node, pods, options, login, throttle, ct))).ConfigureAwait(false);
        });
    }

    private async Task RunThrottledAsync(string node, AdminPodClient pods, AdminSessionOptions options, LoginKey login, SemaphoreSlim throttle,
        CancellationToken ct)
    {
        await throttle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = await RunAsync(node, pods, options, login, ct).ConfigureAwait(false);
            Post(() => WriteObject(result));
        }
        catch (KubeOSException ex)
        {
            Post(() => WriteError(ErrorRecords.From(ex, node)));
        }
        catch (ClusterApiException ex)
        {
            Post(() => WriteError(ToErrorRecord(ex, node)));
        }
        finally
        {
            throttle.Release();
        }
    }

    private async Task<AdminCommandResult> RunAsync(string node, AdminPodClient pods, AdminSessionOptions options, LoginKey login, CancellationToken ct)
    {
        await using var session = await AdminSession.StartAsync(pods, options, node, login, PostVerbose, ct).ConfigureAwait(false);
        using var command = session.Ssh.CreateCommand(Command);
        var clock = Stopwatch.StartNew();
        try
        {
            await command.ExecuteAsync(ct).ConfigureAwait(false);
        }
        catch (SshException ex)
        {
            throw new AdminContainerException($"The command on node '{node}' did not complete: {ex.Message}",
                AdminContainerErrorIds.AdminCommandFailed, ErrorCategory.ConnectionError, ex)
            {
                RecommendedAction = "Run it again; if the node reboots or loses network during the command, check it with Get-KubeOSNode.",
            };
        }
        clock.Stop();
        PostVerbose($"Node '{node}': exit {command.ExitStatus?.ToString() ?? $"by signal {command.ExitSignal}"} after {clock.Elapsed.TotalSeconds:0.0} s.");
        return new AdminCommandResult
        {
            Node = node,
            Command = Command,
            ExitCode = command.ExitStatus ?? -1,
            Output = command.Result,
            Error = command.Error,
            Duration = clock.Elapsed,
        };
    }
}
