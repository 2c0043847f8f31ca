using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Schema;

/// <summary>The outcome of admitting an object: the object after defaulting and pruning, and every field error.</summary>
public sealed class SchemaResult
{
    /// <summary>The admitted object (a copy of the input with defaults applied and unknown fields removed).</summary>
    public required JsonNode Object { get; init; }

    /// <summary>Field errors; empty when the object is valid.</summary>
    public required IReadOnlyList<FieldCause> Causes { get; init; }

    /// <summary>Paths of the unknown fields that were dropped, for "unknown field" warnings or strict field validation.</summary>
    public required IReadOnlyList<string> PrunedFields { get; init; }

    public bool IsValid => Causes.Count == 0;
}
