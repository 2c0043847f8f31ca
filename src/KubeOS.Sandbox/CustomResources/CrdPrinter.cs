using System.Text.Json.Nodes;
using KubeOS.Sandbox.Tables;

namespace KubeOS.Sandbox.CustomResources;

/// <summary>
/// The Table convertor of a CRD version: Name, then additionalPrinterColumns (jsonPath cells, dates as ages), or
/// Name and Age when the version declares none — what apiextensions-apiserver serves for `kubectl get`.
/// </summary>
public sealed class CrdPrinter : ITablePrinter
{
    private sealed record Column(TableColumn Definition, string JsonPath);
    private readonly List<Column> _columns = new();

    public CrdPrinter(JsonArray? additionalPrinterColumns)
    {
        var declared = additionalPrinterColumns?.OfType<JsonObject>().ToList() ?? [];
        if (declared.Count == 0)
        {
            _columns.Add(new Column(TableBuilder.AgeColumn with { Type = "date" }, ".metadata.creationTimestamp"));
            return;
        }
        foreach (var c in declared)
        {
            _columns.Add(new Column(new TableColumn(
                c["name"]?.ToString() ?? "", c["type"]?.ToString() ?? "string", c["format"]?.ToString() ?? "",
                c["description"]?.ToString() ?? "", (int)(c["priority"]?.GetValue<long>() ?? 0)), c["jsonPath"]?.ToString() ?? ""));
        }
    }

    public IReadOnlyList<TableColumn> Columns => [TableBuilder.NameColumn, .. _columns.Select(c => c.Definition)];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var cells = new List<JsonNode?> { TableBuilder.Name(obj) };
        foreach (var c in _columns)
        {
            var values = SimpleJsonPath.Evaluate(obj, c.JsonPath);
            if (values.Count == 0)
            {
                cells.Add(null);
                continue;
            }
            var value = values[0];
            cells.Add(c.Definition.Type == "date" && value is JsonValue
                ? HumanDuration.Since(value.ToString(), now)
                : value.DeepClone());
        }
        return cells;
    }
}
