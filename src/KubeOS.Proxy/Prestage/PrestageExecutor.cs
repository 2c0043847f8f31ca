using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Proxy.Execution;
using Microsoft.Extensions.Logging;

namespace KubeOS.Proxy.Prestage;

/// <summary>
/// Carries out a Prestage step: records Staging, asks os-agent to prepare (fetch and verify onto the inactive
/// partition, nothing switched, nothing cordoned), then records Staged or Failed. A call that did not reach the agent
/// leaves Staging recorded, and the next look tries again.
/// </summary>
public sealed class PrestageExecutor(ClusterGateway cluster, AgentClient agent, TimeProvider clock, ILogger log)
{
    public async Task RunAsync(OSInstance osi, PrestageOrder order, CancellationToken ct)
    {
        var request = order.Request;
        var record = new PrestageStatus
        {
            OS = request.OS, OSVersion = request.OSVersion, Checksum = request.Checksum, StartedAt = clock.GetUtcNow(),
        };
        var generation = osi.Metadata?.Generation;
        if (order.AlreadyStaged)
        {
            record.State = PrestageStates.Staged;
            record.FinishedAt = record.StartedAt;
            record.Message = $"{request.OSVersion} is already staged and verified on the inactive partition";
            await cluster.ReplaceStatusAsync(osi, PrestageStatusWriter.With(osi.Status, record, generation, clock.GetUtcNow()), ct).ConfigureAwait(false);
            return;
        }

        record.State = PrestageStates.Staging;
        var limit = order.Os.Spec?.Prestage?.BandwidthLimit;
        record.Message = $"fetching and verifying {request.OSVersion} onto the inactive partition" + (limit is null ? "" : $" (at most {limit}/s)");
        osi = await cluster.ReplaceStatusAsync(osi, PrestageStatusWriter.With(osi.Status, record, generation, clock.GetUtcNow()), ct).ConfigureAwait(false);
        try
        {
            var response = await agent.PrepareUpgradeAsync(AgentRequests.Upgrade(order.Os.Spec!), ct).ConfigureAwait(false);
            foreach (var change in response.Changes ?? []) log.LogInformation("prestage: {Change}", change);
            record.State = PrestageStates.Staged;
            record.Message = $"{request.OSVersion} downloaded and verified on the inactive partition; the upgrade will not fetch it again";
        }
        catch (AgentException e) when (AgentFailures.IsRefusal(e))
        {
            record.State = PrestageStates.Failed;
            record.Message = $"pre-staging {request.OSVersion} failed: os-agent: {e.Message}";
        }
        record.FinishedAt = clock.GetUtcNow();
        await cluster.ReplaceStatusAsync(osi, PrestageStatusWriter.With(osi.Status, record, generation, clock.GetUtcNow()), ct).ConfigureAwait(false);
    }
}
