using System.Security.Cryptography;
using System.Text;
using k8s;
using KubeOS.Api.Agent;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// The os-agent of one simulated node, on its own unix socket. Only the disk and boot side is simulated: the standby
/// partition receives request.version instead of a downloaded root, and a reboot is the Node going NotReady and
/// coming back on the booted partition's version with a new bootID. Everything a caller sees on the socket —
/// validation, messages, status shape, one request at a time — is os-agent's.
/// </summary>
public sealed class SimulatedNodeAgent : IAgentOperations, IAsyncDisposable
{
    /// <summary>Size reported for a staged image; nothing is downloaded, so any plausible figure does.</summary>
    public const long SimulatedImageBytes = 512L * 1024 * 1024;

    private readonly string _nodeName;
    private readonly SimulatedAgentOptions _options;
    private readonly NodeReporter _node;
    private readonly SimulatedDisk _disk;
    private readonly SimulatedSettings _settings = new();
    private readonly AgentSocketServer _server;
    private readonly object _sync = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reboot = Task.CompletedTask;
    private readonly List<AgentCall> _calls = [];
    private bool _podsHeldNotReady;

    private SimulatedNodeAgent(string nodeName, string socketPath, string runningVersion, IKubernetes client, SimulatedAgentOptions options)
    {
        _nodeName = nodeName;
        _options = options;
        _node = new NodeReporter(client, nodeName, TimeProvider.System, options.OnError);
        _disk = new SimulatedDisk(runningVersion);
        _server = new AgentSocketServer(socketPath, new AgentRequestDispatcher(this));
    }

    public string NodeName => _nodeName;
    public string SocketPath => _server.SocketPath;

    /// <summary>Every download and reboot so far, in order.</summary>
    public IReadOnlyList<AgentCall> Calls
    {
        get { lock (_sync) return _calls.ToList(); }
    }

    /// <summary>False while the node reboots: the socket is gone, as os-agent is on a host that is down.</summary>
    public bool IsOnline => _server.IsListening;

    /// <summary>Starts the agent of an existing Node; partition A holds what the Node runs now (its osImage).</summary>
    public static async Task<SimulatedNodeAgent> StartAsync(string nodeName, string socketPath, IKubernetes client,
        SimulatedAgentOptions options, CancellationToken cancellationToken)
    {
        var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
        var agent = new SimulatedNodeAgent(nodeName, socketPath, node.Status?.NodeInfo?.OsImage ?? "", client, options);
        agent._server.Start();
        return agent;
    }

    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken)
    {
        lock (_sync) return Task.FromResult(_disk.Status(_options.AgentVersion));
    }

    public async Task<AgentOutcome> PrepareUpgradeAsync(UpgradeRequest request, CancellationToken cancellationToken)
    {
        var checkSum = UpgradeRequestChecks.Validate(request);
        var fault = await FaultAsync(cancellationToken);
        var source = request.ImageType == ImageTypes.Disk ? request.ImageUrl : request.ContainerImage;
        var started = DateTimeOffset.UtcNow;
        await Task.Delay(PrepareTime(request.BandwidthLimit), cancellationToken);
        lock (_sync)
        {
            _calls.Add(new AgentCall(AgentCallKinds.Prepare, started, DateTimeOffset.UtcNow, request.BandwidthLimit));
            var standby = _disk.Standby;
            var unchanged = $"partition {standby} ({SimulatedDisk.Device(standby)}) is unchanged and the boot target is unchanged";
            switch (fault)
            {
                case AgentFault.DownloadFailure:
                    throw new IOException($"downloading {source} failed: the connection was reset after 0 of {SimulatedImageBytes} bytes; {unchanged}");
                case AgentFault.ChecksumMismatch:
                    var actual = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{request.Version}\n{checkSum}"))).ToLowerInvariant();
                    throw new InvalidDataException(
                        $"check_sum mismatch for {source}: expected sha256 {checkSum}, received {SimulatedImageBytes} bytes with sha256 {actual}; {unchanged}");
            }
            // The root's os-release is what the image holds: the requested version, unless the image is the wrong one.
            var content = fault == AgentFault.WrongVersion ? $"{request.Version}-unexpected" : request.Version;
            var staged = new StagedImage
            {
                Version = request.Version, Partition = standby, Device = SimulatedDisk.Device(standby), ImageType = request.ImageType,
                Payload = "tar", CheckSum = checkSum, Bytes = SimulatedImageBytes, StagedAt = DateTimeOffset.UtcNow,
            };
            _disk.WriteStandby(content, staged);
            var summary = $"wrote {staged.Payload} image '{staged.Version}' ({staged.Bytes} bytes, sha256 {staged.CheckSum}) to {staged.Partition} ({staged.Device})";
            return new AgentOutcome(new AgentResponse { Status = AgentStatus.UpgradeReady, Changes = [summary] });
        }
    }

    public Task<AgentOutcome> UpgradeAsync(CancellationToken cancellationToken) =>
        SwitchToStandbyAsync(AgentMethods.Upgrade, AgentStatus.Upgraded, cancellationToken);

    public Task<AgentOutcome> RollbackAsync(CancellationToken cancellationToken) =>
        SwitchToStandbyAsync(AgentMethods.Rollback, AgentStatus.Rollbacked, cancellationToken);

    private async Task<AgentOutcome> SwitchToStandbyAsync(string method, string status, CancellationToken cancellationToken)
    {
        var fault = await FaultAsync(cancellationToken);
        var trialFails = fault == AgentFault.BootFailure;
        lock (_sync)
        {
            var standby = _disk.Standby;
            var device = SimulatedDisk.Device(standby);
            if (!_disk.IsBootable(standby))
                throw new InvalidOperationException($"cannot {method}: partition {standby} ({device}) holds no root filesystem with an os-release; the boot target is unchanged");
            _disk.ArmTrialBoot();
            var change = $"next boot: {standby} ({device}, '{_disk.VersionOf(standby)}') once; falls back to {_disk.Active} unless confirmed";
            return new AgentOutcome(new AgentResponse { Status = status, Changes = [change] }, () => { StartReboot(method, trialFails, fault); return Task.CompletedTask; });
        }
    }

    public async Task<AgentOutcome> ConfigureAsync(ConfigureRequest request, CancellationToken cancellationToken)
    {
        List<string> changes;
        Dictionary<string, string> sysctl;
        lock (_sync)
        {
            changes = _settings.Apply(request);
            sysctl = new Dictionary<string, string>(_settings.Of(SimulatedSettings.Sysctl));
        }
        if (request.Configs.Any(c => c.Model == SimulatedSettings.Sysctl))
            await _node.WriteSysctlAsync(sysctl, cancellationToken);
        return new AgentOutcome(new AgentResponse { Status = AgentStatus.Configured, Changes = changes });
    }

    public Task<AgentOutcome> ConfirmBootAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var changes = _disk.ConfirmBoot() ? [$"default boot entry is now {_disk.Active} ({SimulatedDisk.Device(_disk.Active)})"] : new List<string>();
            return Task.FromResult(new AgentOutcome(new AgentResponse { Status = AgentStatus.BootConfirmed, Changes = changes }));
        }
    }

    public void RecordResult(string method, bool succeeded, string message)
    {
        lock (_sync)
            _disk.LastResult = new OperationResult { Method = method, Succeeded = succeeded, Message = message, FinishedAt = DateTimeOffset.UtcNow };
    }

    /// <summary>The options' fault for this node, else the node annotation's, read at call time so tests can switch it.</summary>
    private async Task<AgentFault> FaultAsync(CancellationToken cancellationToken)
    {
        if (_options.Faults.TryGetValue(_nodeName, out var fault)) return fault;
        var node = await _node.ReadAsync(cancellationToken);
        return node.Metadata.Annotations?.TryGetValue(AgentFaults.Annotation, out var text) == true
            ? AgentFaults.Parse(text, $"annotation {AgentFaults.Annotation} of node {_nodeName}")
            : AgentFault.None;
    }

    private void StartReboot(string method, bool trialFails, AgentFault fault)
    {
        lock (_sync)
        {
            if (!_reboot.IsCompleted || _stop.IsCancellationRequested) return;
            _reboot = Task.Run(() => RebootAsync(method, trialFails, fault, _stop.Token));
        }
    }

    /// <summary>The download time: <see cref="SimulatedAgentOptions.PrepareDuration"/>, or longer when a bandwidth limit makes it so.</summary>
    private TimeSpan PrepareTime(long bandwidthLimit) =>
        bandwidthLimit > 0 && TimeSpan.FromSeconds((double)_options.ImageBytes / bandwidthLimit) is var limited && limited > _options.PrepareDuration
            ? limited
            : _options.PrepareDuration;

    private async Task RebootAsync(string method, bool trialFails, AgentFault fault, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            await _server.StopAsync();
            await _node.GoNotReadyAsync(ct);
            // unhealthy-after-upgrade: the trial boot of a new root comes up with the node's pods not Ready (set while the
            // node is down, so nobody sees the node Ready with pods that are about to fail). Any other boot makes them Ready again.
            bool unhealthy;
            lock (_sync) unhealthy = fault == AgentFault.UnhealthyAfterUpgrade && _disk.NextEntry.Length > 0 && _disk.NextEntry != _disk.SavedEntry;
            if (unhealthy)
            {
                await _node.SetPodsReadyAsync(false, ct);
                _podsHeldNotReady = true;
            }
            await Task.Delay(_options.RebootDuration, ct);
            string version;
            lock (_sync)
            {
                var tried = _disk.Boot(trialFails);
                version = _disk.VersionOf(_disk.Active);
                if (_disk.Active != tried)
                    _disk.LastResult = new OperationResult
                    {
                        Method = method, Succeeded = false, FinishedAt = DateTimeOffset.UtcNow,
                        Message = $"the trial boot of partition {tried} ('{_disk.VersionOf(tried)}') failed; the boot loader fell back to {_disk.Active} ('{version}')",
                    };
            }
            // The agent is reachable again before the Node reports Ready, so whoever sees Ready can call it.
            _server.Start();
            await _node.ComeBackAsync(version, ct);
            if (!unhealthy && _podsHeldNotReady)
            {
                await _node.SetPodsReadyAsync(true, ct);
                _podsHeldNotReady = false;
            }
            lock (_sync) _calls.Add(new AgentCall(AgentCallKinds.Reboot, started, DateTimeOffset.UtcNow));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _options.OnError?.Invoke(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task reboot;
        lock (_sync) reboot = _reboot;
        await reboot;
        await _server.StopAsync();
        _stop.Dispose();
    }
}
