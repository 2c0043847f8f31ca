using KubeOS.Agent.Boot;
using KubeOS.Agent.Disk;
using KubeOS.Agent.Images;
using KubeOS.Agent.Node;
using KubeOS.Agent.State;
using KubeOS.Agent.Verity;
using KubeOS.Api.Agent;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Agent.Upgrade;

/// <summary>prepare_upgrade, upgrade, rollback, confirm_boot and status over one node's disk and GRUB environment.</summary>
public sealed class NodeOperations
{
    private readonly NodeSystem _system;
    private readonly RootPartitionResolver _resolver;
    private readonly BlockDevices _devices;
    private readonly RootInspector _inspector;
    private readonly BootSwitcher _boot;
    private readonly AgentStateStore _state;
    private readonly DiskImageStager _diskStager;
    private readonly Images.Oci.OciImageStager _ociStager;

    public NodeOperations(NodeSystem system)
    {
        _system = system;
        _resolver = new RootPartitionResolver(system);
        _devices = new BlockDevices(system);
        _inspector = new RootInspector(system);
        _boot = new BootSwitcher(system);
        _state = new AgentStateStore(system);
        _diskStager = new DiskImageStager(new StandbyWriter(system), system.CertsDir);
        _ociStager = new Images.Oci.OciImageStager(new StandbyWriter(system), system.CertsDir);
    }

    public AgentStateStore State => _state;

    /// <summary>A or B, for the grub.cmdline settings that edit the running or the other root's boot entry.</summary>
    public async Task<string> ActivePartitionNameAsync(CancellationToken cancellationToken) =>
        (await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false)).Active.Name;

    public async Task<AgentOutcome> PrepareUpgradeAsync(UpgradeRequest request, CancellationToken cancellationToken)
    {
        UpgradeRequestValidator.Validate(request);
        var roots = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var verity = await VerityLayout.FindAsync(_devices, roots, cancellationToken).ConfigureAwait(false);
        if (verity is not null)
            GrubCfgRootHash.RequireVerityEntry(_system.GrubCfgPath, roots.Standby.Name);
        var source = request.ImageType == ImageTypes.Disk ? request.ImageUrl : request.ContainerImage;
        AgentLog.Info($"preparing version '{request.Version}' from {source} onto {roots.Standby.Name} ({roots.Standby.Device}); running root is {roots.Active.Name} ({roots.Active.Device})");
        Action writeStarting = () => _state.Update(s =>
        {
            s.Staged = null;
            s.InProgress = new InProgressWrite
            {
                Method = AgentMethods.PrepareUpgrade,
                Partition = roots.Standby.Name,
                Device = roots.Standby.Device,
                StartedAt = DateTimeOffset.UtcNow,
            };
        });
        var staged = request.ImageType == ImageTypes.Disk
            ? await _diskStager.StageAsync(request, roots.Standby, writeStarting, cancellationToken).ConfigureAwait(false)
            : await _ociStager.StageAsync(request, roots.Standby, writeStarting, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>();
        if (verity is not null)
            changes.Add(await WriteHashTreeAsync(roots.Standby, verity, cancellationToken).ConfigureAwait(false));
        _state.Update(s =>
        {
            s.Staged = staged;
            s.InProgress = null;
        });
        var summary = $"wrote {staged.Payload} image '{staged.Version}' ({staged.Bytes} bytes, sha256 {staged.CheckSum}) to {staged.Partition} ({staged.Device})";
        AgentLog.Info(summary);
        return new AgentOutcome(new AgentResponse { Status = AgentStatus.UpgradeReady, Changes = [summary, .. changes] });
    }

    /// <summary>
    /// dm-verity disks: the verified root gets its hash tree and its entry the new root hash; until both are written
    /// the partition is invalidated on failure, so the entry never points at a root its hash does not describe.
    /// </summary>
    private async Task<string> WriteHashTreeAsync(RootPartition standby, VerityLayout verity, CancellationToken cancellationToken)
    {
        try
        {
            var rootHash = await VeritySetup.FormatAsync(standby.Device, verity.StandbyHashDevice, cancellationToken).ConfigureAwait(false);
            await GrubCfgRootHash.WriteAsync(_system.GrubCfgPath, standby.Name, rootHash).ConfigureAwait(false);
            var change = $"dm-verity: hash tree of {standby.Label} written to {verity.StandbyHashDevice} (HASH-{standby.Name}); root hash {rootHash} set on entry {standby.Name} in {_system.GrubCfgPath}";
            AgentLog.Info(change);
            return change;
        }
        catch
        {
            await StandbyWriter.InvalidateAsync(standby).ConfigureAwait(false);
            throw;
        }
    }

    public Task<AgentOutcome> UpgradeAsync(CancellationToken cancellationToken) =>
        SwitchToStandbyAsync(AgentStatus.Upgraded, "upgrade", cancellationToken);

    public Task<AgentOutcome> RollbackAsync(CancellationToken cancellationToken) =>
        SwitchToStandbyAsync(AgentStatus.Rollbacked, "rollback", cancellationToken);

    private async Task<AgentOutcome> SwitchToStandbyAsync(string status, string what, CancellationToken cancellationToken)
    {
        var roots = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var contents = await _inspector.InspectAsync(roots.Standby, isRunning: false, cancellationToken).ConfigureAwait(false);
        if (!contents.Bootable)
            throw new InvalidOperationException($"cannot {what}: {contents.Problem}; the boot target is unchanged");
        var verity = await VerityLayout.FindAsync(_devices, roots, cancellationToken).ConfigureAwait(false);
        if (verity is not null)
            await RequireVerifiedAsync(roots.Standby, verity, what, cancellationToken).ConfigureAwait(false);
        _boot.ArmTrialBoot(roots, roots.Standby);
        _state.Update(s => s.Staged = null);
        var change = $"next boot: {roots.Standby.Name} ({roots.Standby.Device}, '{contents.Version}') once; falls back to {roots.Active.Name} unless confirmed";
        return new AgentOutcome(new AgentResponse { Status = status, Changes = [change] }, RebootAsync);
    }

    /// <summary>A dm-verity root is switched to only when all of it matches the root hash its entry will boot with.</summary>
    private async Task RequireVerifiedAsync(RootPartition standby, VerityLayout verity, string what, CancellationToken cancellationToken)
    {
        var rootHash = GrubCfgRootHash.Read(_system.GrubCfgPath, standby.Name);
        if (rootHash is null || rootHash.Length != 64)
            throw new InvalidOperationException(
                $"cannot {what}: entry {standby.Name} in {_system.GrubCfgPath} has no dm-verity root hash (roothash={rootHash ?? "missing"}); prepare an upgrade first. The boot target is unchanged");
        var problem = await VeritySetup.VerifyAsync(standby.Device, verity.StandbyHashDevice, rootHash, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
            throw new InvalidOperationException($"cannot {what}: {standby.Label} does not match the dm-verity root hash of entry {standby.Name} ({problem}); the boot target is unchanged");
    }

    public async Task<AgentOutcome> ConfirmBootAsync(CancellationToken cancellationToken)
    {
        var roots = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var changed = _boot.Confirm(roots);
        var change = changed ? $"default boot entry is now {roots.Active.Name} ({roots.Active.Device})" : null;
        if (change is not null)
            AgentLog.Info(change);
        return new AgentOutcome(new AgentResponse { Status = AgentStatus.BootConfirmed, Changes = change is null ? [] : [change] });
    }

    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken)
    {
        var roots = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var active = await _inspector.InspectAsync(roots.Active, isRunning: true, cancellationToken).ConfigureAwait(false);
        var inactive = await _inspector.InspectAsync(roots.Standby, isRunning: false, cancellationToken).ConfigureAwait(false);
        var (saved, next) = _boot.Read();
        var state = _state.Load();
        return new StatusResult
        {
            AgentVersion = typeof(NodeOperations).Assembly.GetName().Version?.ToString() ?? "",
            Active = new PartitionStatus { Name = roots.Active.Name, Device = roots.Active.Device, Version = active.Version, Bootable = active.Bootable },
            Inactive = new PartitionStatus { Name = roots.Standby.Name, Device = roots.Standby.Device, Version = inactive.Version, Bootable = inactive.Bootable },
            SavedEntry = saved,
            NextEntry = next,
            BootPendingConfirmation = saved.Length > 0 && saved != roots.Active.Name,
            Staged = state.Staged?.Device == roots.Standby.Device ? state.Staged : null,
            LastResult = state.LastResult,
        };
    }

    /// <summary>
    /// Run at start-up: a write the previous process did not finish leaves a half-written partition, which is
    /// invalidated (never the running root) and reported as the last result.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var mountPoint in Mounts.MountPointsUnder(_system.StateDir))
        {
            AgentLog.Warn($"unmounting {mountPoint} left by a previous run");
            await Mounts.UnmountAsync(mountPoint, lazy: true).ConfigureAwait(false);
        }
        var interrupted = _state.Load().InProgress;
        if (interrupted is null)
            return;
        var roots = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var message = $"{interrupted.Method} was interrupted while writing partition {interrupted.Partition} ({interrupted.Device}) at {interrupted.StartedAt:u}; its content was discarded and the boot target is unchanged";
        if (interrupted.Device == roots.Standby.Device)
            await StandbyWriter.InvalidateAsync(roots.Standby).ConfigureAwait(false);
        AgentLog.Warn(message);
        _state.Update(s =>
        {
            s.InProgress = null;
            s.Staged = null;
            s.LastResult = new OperationResult { Method = interrupted.Method, Succeeded = false, Message = message, FinishedAt = DateTimeOffset.UtcNow };
        });
    }

    public void RecordResult(string method, bool succeeded, string message) =>
        _state.Update(s =>
        {
            if (!succeeded && s.InProgress is not null)
                s.InProgress = null; // the failing path already invalidated the partition
            s.LastResult = new OperationResult { Method = method, Succeeded = succeeded, Message = message, FinishedAt = DateTimeOffset.UtcNow };
        });

    private async Task RebootAsync()
    {
        AgentLog.Info($"rebooting: {string.Join(' ', _system.RebootCommand)}");
        await CommandRunner.RunAsync(_system.RebootCommand).ConfigureAwait(false);
    }
}
