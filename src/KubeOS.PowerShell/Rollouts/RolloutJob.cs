using System.Management.Automation;
using KubeOS.Client;
using KubeOS.Client.Configuration;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// The background job of -AsJob: waits for one rollout as -Wait does, with its progress and errors in the job's streams
/// and the final state as its output. Stop-Job cancels the wait; the rollout itself goes on in the cluster.
/// </summary>
public sealed class RolloutJob : Job
{
    private readonly ClusterTarget _target;
    private readonly KubeOSUpgrade _rollout;
    private readonly TimeSpan? _timeout;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    internal RolloutJob(string command, ClusterTarget target, KubeOSUpgrade rollout, TimeSpan? timeout)
        : base(command, $"KubeOS rollout {rollout.Namespace}/{rollout.Name}")
    {
        PSJobTypeName = "KubeOSRolloutJob";
        _target = target;
        _rollout = rollout;
        _timeout = timeout;
    }

    public override string StatusMessage => JobStateInfo.State.ToString();

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0;

    public override string Location => _target.Server;

    internal void Start()
    {
        SetJobState(JobState.Running);
        _run = Task.Run(Run);
    }

    private async Task Run()
    {
        try
        {
            using var cluster = KubeOSCluster.Connect(_target, message => Verbose.Add(new VerboseRecord(message)));
            var token = _stop.Token;
            var waiter = new RolloutWaiter(Progress.Add, Error.Add,
                rs => RolloutWaiter.RefreshAsync(cluster, rs, token).GetAwaiter().GetResult(),
                delay => Task.Delay(delay, token).GetAwaiter().GetResult());
            var final = await Task.Run(() => waiter.Wait([_rollout], _timeout), token).ConfigureAwait(false);
            Output.Add(PSObject.AsPSObject(final[0]));
            SetJobState(Error.Count > 0 ? JobState.Failed : JobState.Completed);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            SetJobState(JobState.Stopped);
        }
        catch (Exception ex)
        {
            Error.Add(new ErrorRecord(ex, ex is ClusterApiException ? Cluster.ClusterErrorIds.ClusterRequestFailed : ex.GetType().Name,
                ErrorCategory.NotSpecified, _rollout));
            SetJobState(JobState.Failed);
        }
    }

    /// <summary>Stop-Job: ends the wait (within one poll) and returns once the job is stopped.</summary>
    public override void StopJob()
    {
        _stop.Cancel();
        _run.Wait(TimeSpan.FromSeconds(10));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
