using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Serialization;

/// <summary>One document of a manifest file, with the object it holds (if it could be loaded) and what went wrong loading it.</summary>
public sealed class ManifestDocument
{
    /// <summary>An <see cref="OS"/>, an <see cref="OSInstance"/>, or null when the document is not one of those or could not be read.</summary>
    public KubeObject? Object { get; init; }

    public string? Kind { get; init; }
    public string? ApiVersion { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }

    /// <summary>Zero-based position of the document in its file.</summary>
    public int DocumentIndex { get; init; }

    public string? SourceName { get; init; }

    /// <summary>One-based line where the document starts (1 for JSON).</summary>
    public int Line { get; init; }

    /// <summary>The document as a JSON tree, exactly as written (before any binding); null if it could not be parsed.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>Problems found while loading: syntax, unknown kind or apiVersion, values of the wrong type.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; init; } = [];

    /// <summary>Field path → one-based line, for pointing problems at the source.</summary>
    internal IReadOnlyDictionary<string, int>? LineMap { get; init; }

    /// <summary>The line of a field path, or of its closest ancestor that has one.</summary>
    public int? LineOf(string path)
    {
        if (LineMap is null) return null;
        var p = path;
        while (true)
        {
            if (LineMap.TryGetValue(p, out var line)) return line;
            if (p.Length == 0) return null;
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? "" : p[..cut];
        }
    }
}
