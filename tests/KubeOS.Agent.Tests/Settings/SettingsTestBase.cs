using System.Text.Json;
using KubeOS.Agent.Node;
using KubeOS.Agent.Settings;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Settings;

/// <summary>A temp directory standing in for /etc, /proc/sys and the ESP, and an applier over it (running root: A).</summary>
public abstract class SettingsTestBase : IDisposable
{
    protected SettingsTestBase()
    {
        Dir = Directory.CreateTempSubdirectory("kubeos-settings-").FullName;
        System = new NodeSystem
        {
            ProcSysRoot = Path.Combine(Dir, "proc-sys"),
            LimitsConfPath = Path.Combine(Dir, "limits.conf"),
            GrubCfgPath = Path.Combine(Dir, "grub.cfg"),
            StateDir = Path.Combine(Dir, "state"),
        };
        Applier = new SettingsApplier(System, _ => Task.FromResult(ActivePartition));
    }

    protected string Dir { get; }
    protected NodeSystem System { get; }
    protected SettingsApplier Applier { get; }
    protected string ActivePartition { get; set; } = "A";

    protected string PathOf(string name) => Path.Combine(Dir, name);

    protected static SysConfig Model(string model, string path, params (string Key, string JsonValue, string Operation)[] keys) => new()
    {
        Model = model,
        ConfigPath = path,
        Contents = keys.ToDictionary(k => k.Key, k => new KeyInfo { Value = JsonDocument.Parse(k.JsonValue).RootElement.Clone(), Operation = k.Operation }),
    };

    protected async Task<List<string>> Apply(params SysConfig[] configs) =>
        (await Applier.ApplyAsync(new ConfigureRequest { Configs = [.. configs] }, TestContext.Current.CancellationToken)).Response.Changes!;

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
