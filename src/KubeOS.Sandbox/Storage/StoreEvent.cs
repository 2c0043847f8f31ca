using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Storage;

/// <summary>
/// One committed change. <see cref="Object"/> is the new state (the last state for DELETED); <see cref="Previous"/>
/// the state before, which lets a list be rebuilt as of an older resourceVersion the way etcd's MVCC serves one.
/// Stored objects are never mutated after commit, so events can be shared by every watcher.
/// </summary>
public sealed class StoreEvent
{
    public required long ResourceVersion { get; init; }
    public required string Type { get; init; }
    public required ResourceType Resource { get; init; }
    public required string Key { get; init; }
    public required string? Namespace { get; init; }
    public required JsonObject Object { get; init; }
    public JsonObject? Previous { get; init; }

    private byte[]? _line;

    /// <summary>The `{"type":...,"object":...}` line as sent on a plain JSON watch, serialized once for all watchers.</summary>
    public byte[] JsonLine
    {
        get
        {
            var line = Volatile.Read(ref _line);
            if (line is not null) return line;
            line = WatchLine(Type, Object);
            Volatile.Write(ref _line, line);
            return line;
        }
    }

    public static byte[] WatchLine(string type, JsonNode obj)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
