using System.Text.Json;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.State;

/// <summary>Reads and atomically rewrites state.json in the agent's state directory.</summary>
public sealed class AgentStateStore(NodeSystem system)
{
    private readonly Lock _gate = new();
    private string FilePath => Path.Combine(system.StateDir, "state.json");

    public AgentState Load()
    {
        lock (_gate)
        {
            if (!File.Exists(FilePath))
                return new AgentState();
            try
            {
                return JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), AgentStateJsonContext.Default.AgentState) ?? new AgentState();
            }
            catch (JsonException e)
            {
                AgentLog.Warn($"ignoring unreadable {FilePath}: {e.Message}");
                return new AgentState();
            }
        }
    }

    public void Update(Action<AgentState> change)
    {
        lock (_gate)
        {
            var state = Load();
            change(state);
            Directory.CreateDirectory(system.StateDir);
            var temp = FilePath + ".new";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, state, AgentStateJsonContext.Default.AgentState);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, FilePath, overwrite: true);
        }
    }
}
