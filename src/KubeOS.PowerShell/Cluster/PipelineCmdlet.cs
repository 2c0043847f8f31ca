using System.Collections.Concurrent;
using System.Management.Automation;
using KubeOS.Client;
using KubeOS.Client.Configuration;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Base of the cmdlets that wait on network or process work. The work runs on the thread pool; whatever it wants to
/// tell the user (verbose lines for API calls, mostly) is queued and written from the pipeline thread, the only thread
/// the engine lets call WriteVerbose and friends. Ctrl+C (StopProcessing) cancels the work.
/// </summary>
public abstract class PipelineCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly AutoResetEvent _signal = new(false);

    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Queues <paramref name="write"/> to run on the pipeline thread; safe from any thread.</summary>
    protected void Post(Action write)
    {
        _pending.Enqueue(write);
        _signal.Set();
    }

    protected void PostVerbose(string message) => Post(() => WriteVerbose(message));

    /// <summary>Runs <paramref name="work"/> and, until it ends, writes what it posted. Rethrows its exception.</summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(StopToken));
        var handles = new[] { _signal, ((IAsyncResult)task).AsyncWaitHandle };
        while (!task.IsCompleted)
        {
            WaitHandle.WaitAny(handles);
            Drain();
        }
        Drain();
        if (task.IsCanceled && StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected void Await(Func<CancellationToken, Task> work) =>
        Await(async ct =>
        {
            await work(ct).ConfigureAwait(false);
            return true;
        });

    private void Drain()
    {
        while (_pending.TryDequeue(out var write))
        {
            write();
        }
    }

    /// <summary>A terminating error for what the client library reports, with the id scripts can match.</summary>
    protected ErrorRecord ToErrorRecord(Exception exception, object? target) => exception switch
    {
        ClusterConfigurationException config => ErrorRecords.Create(
            config.Reason switch
            {
                ClusterConfigurationError.NoneConfigured => ClusterErrorIds.NoClusterConfigured,
                ClusterConfigurationError.FileNotFound => ClusterErrorIds.KubeconfigNotFound,
                ClusterConfigurationError.ContextNotFound => ClusterErrorIds.ContextNotFound,
                _ => ClusterErrorIds.KubeconfigUnreadable,
            },
            config.Reason switch
            {
                ClusterConfigurationError.Unreadable => ErrorCategory.InvalidData,
                ClusterConfigurationError.NoneConfigured => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.ObjectNotFound,
            },
            target, config.Message, config.Fix, config),
        ClusterApiException { StatusCode: null } api => ErrorRecords.Create(ClusterErrorIds.ClusterUnreachable,
            ErrorCategory.ConnectionError, target, api.Message,
            "Check that the cluster is running and that the kubeconfig's server address is right (Get-KubeOSSandbox lists this session's sandboxes).",
            api),
        ClusterApiException api => ErrorRecords.Create(ClusterErrorIds.ClusterRequestFailed,
            api.StatusCode switch
            {
                System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden => ErrorCategory.PermissionDenied,
                System.Net.HttpStatusCode.NotFound => ErrorCategory.ObjectNotFound,
                _ => ErrorCategory.InvalidOperation,
            },
            target, api.Message, "Check the kubeconfig user's permissions and the cluster's state.", api),
        KubeOSException kubeos => ErrorRecords.From(kubeos, target),
        _ => new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target),
    };

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>The engine disposes a cmdlet after its pipeline ends, also after a terminating error.</summary>
    public void Dispose()
    {
        Release();
        _stopping.Dispose();
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a derived cmdlet holds (connections); called once, from <see cref="Dispose"/>.</summary>
    protected virtual void Release()
    {
    }
}
