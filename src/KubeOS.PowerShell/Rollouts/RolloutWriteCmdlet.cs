using System.Management.Automation;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// The cmdlets that write a rollout (Start-KubeOSUpgrade, Invoke-KubeOSRollback, Set-KubeOSConfig): the same
/// -Wait, -Timeout, -AsJob and -PassThru, and the same ending once the OS object is written.
/// </summary>
public abstract class RolloutWriteCmdlet : RolloutCmdlet
{
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    [Parameter]
    public SwitchParameter AsJob { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Refuses -Wait with -AsJob before anything is written.</summary>
    protected void RefuseWaitWithJob() => RefuseWaitWithJob(Wait, AsJob);

    /// <summary>-Wait, -AsJob or neither, then -PassThru.</summary>
    protected void Follow(KubeOSUpgrade rollout) => Follow(rollout, Wait, AsJob, PassThru, Timeout);
}
