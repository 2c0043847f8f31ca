using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace KubeOS.Operator.Election;

/// <summary>
/// Runs work only while this replica holds a coordination.k8s.io/v1 Lease (KubernetesClient's LeaderElector), so two
/// replicas never write at once. Losing the lease cancels the work; stopping releases the lease so a successor need
/// not wait for it to expire.
/// </summary>
public sealed class LeaderElectedRunner(
    IKubernetes client, string leaseNamespace, string leaseName, string identity,
    TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod, ILogger log)
{
    public string Identity => identity;

    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, Action<bool> leading, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var config = new LeaderElectionConfig(new LeaseLock(client, leaseNamespace, leaseName, identity))
            {
                LeaseDuration = leaseDuration, RenewDeadline = renewDeadline, RetryPeriod = retryPeriod,
            };
            using var elector = new LeaderElector(config);
            CancellationTokenSource? term = null;
            Task? work = null;
            elector.OnStartedLeading += () =>
            {
                log.LogInformation("{Identity} leads (lease {Namespace}/{Lease})", identity, leaseNamespace, leaseName);
                leading(true);
                term = CancellationTokenSource.CreateLinkedTokenSource(ct);
                work = Task.Run(() => whileLeading(term.Token), CancellationToken.None);
            };
            elector.OnNewLeader += holder => log.LogInformation("Lease {Namespace}/{Lease} held by {Holder}", leaseNamespace, leaseName, holder);
            try
            {
                await elector.RunUntilLeadershipLostAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Leader election failed; trying again");
            }
            finally
            {
                leading(false);
                if (term is not null) await term.CancelAsync().ConfigureAwait(false);
                if (work is not null)
                {
                    try { await work.ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                }
                term?.Dispose();
            }
            if (work is not null && !ct.IsCancellationRequested) log.LogWarning("{Identity} lost the lease; work stopped", identity);
            if (!ct.IsCancellationRequested) await Task.Delay(retryPeriod, CancellationToken.None).ConfigureAwait(false);
        }
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>Empties the holder if it is still this replica, with the Lease's resourceVersion so a newer holder is never erased.</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, leaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != identity) return;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, leaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            log.LogInformation("{Identity} released lease {Namespace}/{Lease}", identity, leaseNamespace, leaseName);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            log.LogInformation("Could not release lease {Namespace}/{Lease}: {Message}; it expires by itself", leaseNamespace, leaseName, e.Message);
        }
    }
}
