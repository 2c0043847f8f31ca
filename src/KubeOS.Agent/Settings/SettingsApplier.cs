using KubeOS.Agent.Node;
using KubeOS.Agent.Upgrade;
using KubeOS.Api.Agent;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Agent.Settings;

/// <summary>
/// configure: every model is validated and planned before the first one is applied, so a malformed entry anywhere in
/// the request changes nothing; then models are applied in request order. The response lists what changed.
/// </summary>
public sealed class SettingsApplier
{
    private readonly Dictionary<string, ISettingsModel> _models;

    public SettingsApplier(NodeSystem system, Func<CancellationToken, Task<string>> activePartitionName)
    {
        ISettingsModel[] models =
        [
            new SysctlRuntimeModel(system.ProcSysRoot),
            new SysctlPersistModel(),
            new GrubCmdlineModel("grub.cmdline.current", system.GrubCfgPath, activePartitionName, current: true),
            new GrubCmdlineModel("grub.cmdline.next", system.GrubCfgPath, activePartitionName, current: false),
            new PamLimitsModel(system.LimitsConfPath),
            new KubeletConfigModel(),
            new ContainerdConfigModel(),
        ];
        _models = models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public async Task<AgentOutcome> ApplyAsync(ConfigureRequest request, CancellationToken cancellationToken)
    {
        var models = request.Configs.Select((config, index) =>
            _models.TryGetValue(config.Model, out var model)
                ? model
                : throw new SettingsException($"configs[{index}].model '{config.Model}' is unknown; known models: {string.Join(", ", _models.Keys)}")).ToList();
        // Validation pass: throws on the first malformed entry before any model has written anything.
        for (var i = 0; i < models.Count; i++)
            await models[i].PlanAsync(request.Configs[i], cancellationToken).ConfigureAwait(false);

        var changes = new List<string>();
        for (var i = 0; i < models.Count; i++)
        {
            // Planned again against the files as the earlier models left them.
            var plan = await models[i].PlanAsync(request.Configs[i], cancellationToken).ConfigureAwait(false);
            foreach (var warning in plan.Warnings)
                AgentLog.Warn($"{models[i].Name}: {warning}");
            await plan.Apply().ConfigureAwait(false);
            changes.AddRange(plan.Changes.Select(c => $"{models[i].Name}: {c}"));
        }
        foreach (var change in changes)
            AgentLog.Info(change);
        return new AgentOutcome(new AgentResponse { Status = AgentStatus.Configured, Changes = changes });
    }
}
