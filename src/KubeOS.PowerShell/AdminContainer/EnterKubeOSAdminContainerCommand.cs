using System.Management.Automation;
using KubeOS.Client;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Enter-KubeOSAdminContainer: an interactive root shell in the host namespaces of one node, through an admin container
/// deployed for the session. The console is handed to the remote shell until it exits; the pod is removed then, unless
/// -Keep.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "KubeOSAdminContainer", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class EnterKubeOSAdminContainerCommand : AdminContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Node { get; set; } = "";

    /// <summary>Leave the pod and its Secret on the node after the shell exits.</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Node, $"Open a root shell in the host namespaces through a new admin container (pod in {Namespace}, image {Image})"))
        {
            return;
        }
        using var login = OpenLoginKey();
        var pods = Pods;
        var options = Options;
        AdminSession session;
        try
        {
            session = Await(ct => AdminSession.StartAsync(pods, options, Node, login, PostVerbose, ct));
        }
        catch (KubeOSException ex)
        {
            WriteError(ErrorRecords.From(ex, Node));
            return;
        }
        catch (ClusterApiException ex)
        {
            WriteError(ToErrorRecord(ex, Node));
            return;
        }
        session.Keep = Keep.IsPresent;
        try
        {
            InteractiveShell.Run(session.Ssh, StopToken);
        }
        finally
        {
            Await(async _ => await session.DisposeAsync().ConfigureAwait(false));
        }
    }
}
