using System.Text.Json.Serialization;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>Serializers for what the simulated agent writes into annotations.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SandboxAgentJson : JsonSerializerContext
{
}
