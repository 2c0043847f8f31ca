using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeOS.Api.Serialization;

/// <summary>One YAML document read into a JSON tree, with where each field was written.</summary>
internal sealed record YamlDocumentTree(JsonNode? Root, int Line, Dictionary<string, int> Lines, List<(string Path, int Line)> DuplicateKeys);

/// <summary>Thrown when YAML text is not well-formed; carries the position YamlDotNet reported.</summary>
internal sealed class YamlSyntaxException(string message, int line, int column, IReadOnlyList<YamlDocumentTree> documentsBefore)
    : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public IReadOnlyList<YamlDocumentTree> DocumentsBefore { get; } = documentsBefore;
}

/// <summary>
/// Converts between YAML text and JSON trees with YamlDotNet's parser and emitter. Going through a JSON tree lets the
/// models be bound by System.Text.Json source generation alone, so YAML and JSON input behave identically.
/// </summary>
internal static class YamlTree
{
    public static List<YamlDocumentTree> Read(string text)
    {
        var documents = new List<YamlDocumentTree>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var lines = new Dictionary<string, int>();
                var dups = new List<(string, int)>();
                var anchors = new Dictionary<string, JsonNode?>();
                JsonNode? root = null;
                var line = (int)start.Start.Line;
                if (!parser.Accept<DocumentEnd>(out _))
                {
                    line = (int)parser.Current!.Start.Line;
                    root = ReadNode(parser, "", lines, dups, anchors);
                }
                parser.Consume<DocumentEnd>();
                documents.Add(new YamlDocumentTree(root, line, lines, dups));
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException(e.Message, (int)e.Start.Line, (int)e.Start.Column, documents);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; report where parsing stopped.
            var at = parser.Current?.End;
            throw new YamlSyntaxException("unexpected end of a flow collection ('[' or '{' not closed)",
                (int)(at?.Line ?? 1), (int)(at?.Column ?? 1), documents);
        }
        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, string path, Dictionary<string, int> lines,
        List<(string, int)> dups, Dictionary<string, JsonNode?> anchors)
    {
        var ev = parser.Current!;
        lines.TryAdd(path, (int)ev.Start.Line);
        switch (ev)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}'");
                return target?.DeepClone();
            case Scalar scalar:
            {
                parser.MoveNext();
                JsonNode? value = IsPlainUntagged(scalar) ? YamlScalars.Resolve(scalar.Value) : TaggedScalar(scalar);
                Remember(scalar, value, anchors);
                return value;
            }
            case SequenceStart seq:
            {
                parser.MoveNext();
                var array = new JsonArray();
                var i = 0;
                while (!parser.TryConsume<SequenceEnd>(out _))
                    array.Add(ReadNode(parser, FieldPath.Index(path, i++), lines, dups, anchors));
                Remember(seq, array, anchors);
                return array;
            }
            case MappingStart map:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current!;
                    var keyNode = ReadNode(parser, path, new Dictionary<string, int>(), dups, anchors); // a key's own position is recorded below
                    var key = keyNode switch
                    {
                        null => "null",
                        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                        _ => keyNode.ToJsonString(),
                    };
                    var childPath = FieldPath.Child(path, key);
                    if (obj.ContainsKey(key))
                    {
                        dups.Add((childPath, (int)keyEvent.Start.Line));
                        obj.Remove(key);
                    }
                    lines[childPath] = (int)keyEvent.Start.Line;
                    obj[key] = ReadNode(parser, childPath, lines, dups, anchors);
                }
                Remember(map, obj, anchors);
                return obj;
            }
            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
        }
    }

    private static bool IsPlainUntagged(Scalar s) => s.Style == ScalarStyle.Plain && s.Tag.IsEmpty;

    private static JsonNode? TaggedScalar(Scalar s)
    {
        if (s.Tag.IsEmpty || s.Tag.Value is "tag:yaml.org,2002:str" or "!") return JsonValue.Create(s.Value);
        // An explicit core tag (!!int, !!bool, ...) asks for the resolved type of the text.
        return s.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? YamlScalars.Resolve(s.Value) : JsonValue.Create(s.Value);
    }

    private static void Remember(NodeEvent ev, JsonNode? value, Dictionary<string, JsonNode?> anchors)
    {
        if (!ev.Anchor.IsEmpty) anchors[ev.Anchor.Value] = value?.DeepClone();
    }

    /// <summary>Writes a JSON tree as block-style YAML with two-space indentation, quoting strings only where needed.</summary>
    public static string Write(JsonNode? root)
    {
        var sb = new StringBuilder();
        using (var writer = new StringWriter(sb))
        {
            var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, true));
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, true));
            WriteNode(emitter, root);
            emitter.Emit(new DocumentEnd(true));
            emitter.Emit(new StreamEnd());
        }
        return sb.ToString();
    }

    private static void WriteNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    WriteString(emitter, key);
                    WriteNode(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array) WriteNode(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                    case JsonValueKind.Number:
                        emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                        break;
                }
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        ScalarStyle style;
        if (text.Length == 0 || YamlScalars.NeedsQuotes(text)) style = ScalarStyle.DoubleQuoted;
        else if (text.Contains('\n')) style = ScalarStyle.Literal;
        else style = ScalarStyle.Plain; // the emitter falls back to quotes when plain is not allowed
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }
}
