using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Resources;

/// <summary>
/// Per-kind rules applied on create and update, the counterpart of kube-apiserver's registry strategies:
/// defaulting (PrepareForCreate/PrepareForUpdate) and validation returning field causes.
/// </summary>
public class KindStrategy
{
    public virtual void PrepareForCreate(JsonObject obj) { }
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old) { }
    public virtual IEnumerable<StatusCause> Validate(JsonObject obj, JsonObject? old) => [];

    public static StatusCause Required(string field, string detail) =>
        new("FieldValueRequired", $"Required value: {detail}", field);

    public static StatusCause InvalidValue(string field, JsonNode? value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {Render(value)}: {detail}", field);

    public static StatusCause NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported",
            $"Unsupported value: {Render(value)}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field);

    public static StatusCause Forbidden(string field, string detail) => new("FieldValueForbidden", $"Forbidden: {detail}", field);

    /// <summary>Values are printed as Go's %#v prints them in field errors: strings quoted, numbers bare.</summary>
    private static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => $"\"{s}\"",
        _ => value.ToJsonString(),
    };
}
