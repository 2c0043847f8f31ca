using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Tables;

/// <summary>A column of a meta.k8s.io/v1 Table.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0);

/// <summary>Turns objects of one kind into Table rows, as kube-apiserver's printers do for `kubectl get`.</summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }
    IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now);
}

/// <summary>A printer from a column list and a function computing the cells of one row.</summary>
public sealed class DelegatePrinter(IReadOnlyList<TableColumn> columns, Func<JsonObject, DateTimeOffset, JsonNode?[]> cells)
    : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns => columns;
    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now) => cells(obj, now);
}

/// <summary>Builds Table objects (meta.k8s.io/v1) for lists and watch events.</summary>
public static class TableBuilder
{
    public const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public static readonly TableColumn NameColumn = new("Name", "string", "name", NameDescription);

    public static readonly TableColumn AgeColumn = new("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

    /// <summary>The convertor kube-apiserver uses for kinds without printers: Name and "Created At".</summary>
    public static readonly ITablePrinter Default = new DelegatePrinter(
        [NameColumn, new TableColumn("Created At", "date", "", AgeColumn.Description)],
        (o, _) => [Name(o), o["metadata"]?["creationTimestamp"]?.DeepClone()]);

    public static JsonNode Name(JsonObject o) => o["metadata"]?["name"]?.ToString() ?? "";

    public static string Age(JsonObject o, DateTimeOffset now) =>
        HumanDuration.Since(o["metadata"]?["creationTimestamp"]?.ToString(), now);

    public enum IncludeObject { None, Metadata, Object }

    public static IncludeObject ParseInclude(string? value) => value switch
    {
        "None" => IncludeObject.None,
        "Object" => IncludeObject.Object,
        _ => IncludeObject.Metadata,
    };

    public static JsonObject Build(ITablePrinter printer, IEnumerable<JsonObject> items, bool includeHeaders,
        IncludeObject include, DateTimeOffset now, JsonObject? listMetadata = null)
    {
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata ?? new JsonObject(),
        };
        if (includeHeaders)
        {
            table["columnDefinitions"] = new JsonArray(printer.Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray());
        }
        else table["columnDefinitions"] = null;
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(printer.Cells(item, now).Select(c => c?.DeepClone()).ToArray()) };
            switch (include)
            {
                case IncludeObject.Object: row["object"] = item.DeepClone(); break;
                case IncludeObject.Metadata:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item["metadata"]?.DeepClone(),
                    };
                    break;
            }
            rows.Add(row);
        }
        table["rows"] = rows;
        return table;
    }
}
