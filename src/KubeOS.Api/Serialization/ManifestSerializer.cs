using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KubeOS.Api.Models;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Serialization;

/// <summary>Reads and writes OS/OSInstance manifests as YAML (multi-document) or JSON.</summary>
public static class ManifestSerializer
{
    // Output is for people and kubectl, not for embedding in HTML: write ' < > & as they are.
    private static readonly JsonSerializerOptions Compact = new(KubeOSJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };
    private static readonly KubeOSJsonContext CompactContext = new(Compact);
    private static readonly KubeOSJsonContext IndentedContext = new(Indented);

    /// <summary>
    /// Reads every document of a YAML or JSON text. Never throws on bad input: each document reports its own problems.
    /// JSON is recognised by a first non-blank character of <c>{</c> or <c>[</c> (an array holds several documents).
    /// </summary>
    public static IReadOnlyList<ManifestDocument> Parse(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ParseJson(text, sourceName) : ParseYaml(text, sourceName);
    }

    /// <summary>
    /// Reads every document of a YAML or JSON text into JSON trees (no binding; a <c>kind: List</c> stands for its
    /// items). Throws <see cref="ManifestFormatException"/> on a syntax error.
    /// </summary>
    public static IReadOnlyList<JsonNode?> ParseTrees(string text)
    {
        var docs = Parse(text);
        var syntax = docs.SelectMany(d => d.Problems).FirstOrDefault(p => p.ErrorId is ErrorIds.YamlSyntaxError or ErrorIds.JsonSyntaxError);
        if (syntax is not null) throw new ManifestFormatException([syntax]);
        return docs.Select(d => d.Json).ToList();
    }

    /// <summary>Block-style YAML with two-space indentation; strings are quoted only where plain text would read as another type.</summary>
    public static string ToYaml(object model) => YamlTree.Write(ToNode(model));

    public static string ToJson(object model, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is JsonNode node) return node.ToJsonString(indented ? Indented : Compact);
        return JsonSerializer.Serialize(model, TypeInfo(model.GetType(), indented));
    }

    /// <summary>Reads one JSON document into a model; throws <see cref="ManifestFormatException"/> listing every problem.</summary>
    public static T FromJson<T>(string json)
    {
        var doc = ParseJson(json, null);
        if (doc.Count == 1 && doc[0].Problems.FirstOrDefault(p => p.ErrorId == ErrorIds.JsonSyntaxError) is { } syntax)
            throw new ManifestFormatException([syntax]);
        var node = JsonNode.Parse(json) ?? throw new ManifestFormatException([Problem("", "the document is empty", ErrorIds.NotAnObject)]);
        return Bind<T>(node);
    }

    /// <summary>Reads the first YAML document into a model; throws <see cref="ManifestFormatException"/> listing every problem.</summary>
    public static T FromYaml<T>(string yaml)
    {
        List<YamlDocumentTree> docs;
        try
        {
            docs = YamlTree.Read(yaml);
        }
        catch (YamlSyntaxException e)
        {
            throw new ManifestFormatException([SyntaxProblem(e)]);
        }
        var root = docs.FirstOrDefault(d => d.Root is not null)?.Root
                   ?? throw new ManifestFormatException([Problem("", "the document is empty", ErrorIds.NotAnObject)]);
        return Bind<T>(root);
    }

    /// <summary>Serializes a model (or JSON tree) into a JSON tree.</summary>
    public static JsonNode? ToNode(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is JsonNode node) return node.DeepClone();
        return JsonSerializer.SerializeToNode(model, TypeInfo(model.GetType(), false));
    }

    /// <summary>Binds a JSON tree to a model type; throws <see cref="ManifestFormatException"/> listing every type error.</summary>
    public static T Bind<T>(JsonNode node)
    {
        var (value, problems) = ModelBinder.Bind(node, TypeInfo(typeof(T), false));
        if (problems.Count > 0) throw new ManifestFormatException(problems);
        return (T)value!;
    }

    private static JsonTypeInfo TypeInfo(Type type, bool indented) =>
        (type != typeof(object) ? (indented ? IndentedContext : CompactContext).GetTypeInfo(type) : null)
        ?? throw new ArgumentException($"{type.FullName} is not a KubeOS contract type", nameof(type));

    private static IReadOnlyList<ManifestDocument> ParseJson(string text, string? sourceName)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            return [new ManifestDocument
            {
                SourceName = sourceName, Line = line,
                Problems = [Problem("", $"JSON syntax error at line {line}, column {column}: {FirstSentence(e.Message)}",
                    ErrorIds.JsonSyntaxError, "Correct the JSON syntax at that position.") with { Line = line, Column = column }],
            }];
        }
        var roots = root is JsonArray array ? array.Select(n => n?.DeepClone()).ToList() : [root];
        var result = new List<ManifestDocument>();
        foreach (var r in roots)
            foreach (var (item, _) in ExpandList(r, null))
                result.Add(Load(item, result.Count, sourceName, 1, null, []));
        return result;
    }

    private static IReadOnlyList<ManifestDocument> ParseYaml(string text, string? sourceName)
    {
        var result = new List<ManifestDocument>();
        List<YamlDocumentTree> trees;
        YamlSyntaxException? syntax = null;
        try
        {
            trees = YamlTree.Read(text);
        }
        catch (YamlSyntaxException e)
        {
            trees = e.DocumentsBefore.ToList();
            syntax = e;
        }
        var index = 0;
        foreach (var tree in trees)
        {
            if (tree.Root is null) continue; // an empty document, e.g. after a trailing "---"
            var dups = tree.DuplicateKeys.Select(d => Problem(d.Path, "is given more than once; only the last value is kept",
                ErrorIds.DuplicateField, "Remove the duplicate key.") with { Line = d.Line }).ToList();
            foreach (var (item, prefix) in ExpandList(tree.Root, tree.Lines))
            {
                var lines = prefix.Length == 0 ? tree.Lines : SubMap(tree.Lines, prefix);
                var itemLine = prefix.Length == 0 ? tree.Line : tree.Lines.GetValueOrDefault(prefix, tree.Line);
                result.Add(Load(item, index++, sourceName, itemLine, lines, prefix.Length == 0 ? dups : []));
            }
        }
        if (syntax is not null)
        {
            result.Add(new ManifestDocument
            {
                DocumentIndex = index, SourceName = sourceName, Line = syntax.Line,
                Problems = [SyntaxProblem(syntax)],
            });
        }
        return result;
    }

    /// <summary>A <c>kind: List</c> (or OSList/OSInstanceList), as <c>kubectl get -o yaml</c> writes, stands for its items.</summary>
    private static IEnumerable<(JsonNode? Item, string Prefix)> ExpandList(JsonNode? root, IReadOnlyDictionary<string, int>? lines)
    {
        if (root is JsonObject obj && StringAt(obj, "kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) &&
            obj["items"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++) yield return (items[i]?.DeepClone(), $"items[{i}]");
            yield break;
        }
        yield return (root, "");
    }

    private static Dictionary<string, int> SubMap(IReadOnlyDictionary<string, int> lines, string prefix)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, line) in lines)
        {
            if (path == prefix) map[""] = line;
            else if (path.StartsWith(prefix + ".", StringComparison.Ordinal)) map[path[(prefix.Length + 1)..]] = line;
            else if (path.StartsWith(prefix + "[", StringComparison.Ordinal)) map[path[prefix.Length..]] = line;
        }
        return map;
    }

    private static ValidationProblem SyntaxProblem(YamlSyntaxException e) =>
        Problem("", $"YAML syntax error at line {e.Line}, column {e.Column}: {e.Message.Trim()}", ErrorIds.YamlSyntaxError,
            "Correct the YAML at that position (check indentation, colons and quotes).") with { Line = e.Line, Column = e.Column };

    private static ManifestDocument Load(JsonNode? root, int index, string? sourceName, int line,
        IReadOnlyDictionary<string, int>? lines, List<ValidationProblem> problems)
    {
        if (root is not JsonObject obj)
        {
            problems.Add(Problem("", $"a manifest must be a mapping with apiVersion, kind, metadata and spec, got {Describe(root)}",
                ErrorIds.NotAnObject, "Write the document as a YAML mapping (key: value lines)."));
            return new ManifestDocument { DocumentIndex = index, SourceName = sourceName, Line = line, Json = root, Problems = problems, LineMap = lines };
        }

        var apiVersion = StringAt(obj, "apiVersion");
        var kind = StringAt(obj, "kind");
        var metadata = obj["metadata"] as JsonObject;
        var name = metadata is null ? null : StringAt(metadata, "name");
        var ns = metadata is null ? null : StringAt(metadata, "namespace");
        KubeObject? model = null;

        JsonTypeInfo? typeInfo = kind switch
        {
            WellKnown.OSKind => KubeOSJsonContext.Default.OS,
            WellKnown.OSInstanceKind => KubeOSJsonContext.Default.OSInstance,
            _ => null,
        };
        if (typeInfo is null)
        {
            problems.Add(kind is null
                ? Problem("kind", "is required", ErrorIds.RequiredFieldMissing, "Add kind: OS or kind: OSInstance.")
                : Problem("kind", $"must be OS or OSInstance, got \"{kind}\"", ErrorIds.UnknownKind,
                    "Use kind: OS for a rollout or kind: OSInstance for a node's record."));
        }
        else if (apiVersion != WellKnown.ApiVersion)
        {
            problems.Add(apiVersion is null
                ? Problem("apiVersion", "is required", ErrorIds.RequiredFieldMissing, $"Add apiVersion: {WellKnown.ApiVersion}.")
                : Problem("apiVersion", $"must be {WellKnown.ApiVersion}, got \"{apiVersion}\"", ErrorIds.UnknownApiVersion,
                    $"Set apiVersion: {WellKnown.ApiVersion}."));
        }
        else
        {
            var (value, bindProblems) = ModelBinder.Bind(obj, typeInfo);
            model = (KubeObject?)value;
            problems.AddRange(bindProblems);
        }

        return new ManifestDocument
        {
            Object = model, Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns, DocumentIndex = index,
            SourceName = sourceName, Line = line, Json = obj, LineMap = lines,
            Problems = problems.Select(p => p.Line is null && lines is not null && lines.TryGetValue(p.Path, out var l) ? p with { Line = l } : p).ToList(),
        };
    }

    private static string? StringAt(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>(), CompactContext.String),
        _ => node.ToJsonString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static ValidationProblem Problem(string path, string message, string id, string fix = "Correct the document.") =>
        new(path, message, fix, id);
}

/// <summary>Thrown by the throwing entry points (<c>FromJson</c>, <c>FromYaml</c>, <c>Bind</c>) with every problem found.</summary>
public sealed class ManifestFormatException(IReadOnlyList<ValidationProblem> problems)
    : FormatException(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
