using KubeOS.Api.Agent;

namespace KubeOS.Agent.Settings;

/// <summary>
/// One settings model. <see cref="PlanAsync"/> validates every key and computes the result without changing anything;
/// the returned plan's Apply makes the change. Plans that change nothing have no changes and write nothing.
/// </summary>
public interface ISettingsModel
{
    string Name { get; }

    Task<SettingsPlan> PlanAsync(SysConfig config, CancellationToken cancellationToken);
}

public sealed class SettingsPlan(IReadOnlyList<string> changes, IReadOnlyList<string> warnings, Func<Task> apply)
{
    public IReadOnlyList<string> Changes { get; } = changes;
    public IReadOnlyList<string> Warnings { get; } = warnings;
    public Func<Task> Apply { get; } = apply;

    public static SettingsPlan Nothing(IReadOnlyList<string> warnings) => new([], warnings, () => Task.CompletedTask);
}

/// <summary>A malformed settings entry: names the model, the key and what is wrong.</summary>
public sealed class SettingsException(string message) : Exception(message);
