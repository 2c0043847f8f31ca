using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace KubeOS.Sandbox.Schema;

/// <summary>
/// One <c>x-kubernetes-validations</c> entry, compiled with the Cel package. Transition rules (those that read
/// <c>oldSelf</c>) only run on update in kube-apiserver; admission here is a create, so they are kept but not run.
/// </summary>
internal sealed partial class CelRule
{
    // Compiling shares one environment; the package's environment is not documented as thread-safe.
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly object CompileLock = new();

    public required string Rule { get; init; }
    public string? Message { get; init; }
    public string? FieldPath { get; init; }
    public string Reason { get; init; } = FieldCauseTypes.Invalid;
    public bool IsTransitionRule { get; init; }
    private CelProgramDelegate? Program { get; init; }
    private CelProgramDelegate? MessageProgram { get; init; }

    public static CelRule Compile(JsonElement e, string path)
    {
        var rule = e.GetProperty("rule").GetString() ?? throw new ArgumentException($"{path}.rule is required");
        var transition = rule.Contains("oldSelf", StringComparison.Ordinal);
        var messageExpression = e.TryGetProperty("messageExpression", out var me) ? me.GetString() : null;
        lock (CompileLock)
        {
            return new CelRule
            {
                Rule = rule,
                Message = e.TryGetProperty("message", out var m) ? m.GetString() : null,
                FieldPath = e.TryGetProperty("fieldPath", out var fp) ? fp.GetString() : null,
                Reason = e.TryGetProperty("reason", out var r) && r.GetString() is { } reason ? reason : FieldCauseTypes.Invalid,
                IsTransitionRule = transition,
                Program = transition ? null : CompileOrThrow(rule, path + ".rule"),
                MessageProgram = messageExpression is null ? null : CompileOrThrow(messageExpression, path + ".messageExpression"),
            };
        }
    }

    private static CelProgramDelegate CompileOrThrow(string expression, string path)
    {
        try
        {
            return Environment.Compile(PresenceAsKeyTest(expression));
        }
        catch (Exception ex)
        {
            throw new ArgumentException($"{path}: compilation failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The Cel package answers has(x.f) with protobuf semantics (false for "", [], {} and null), but for the JSON maps of a
    /// custom resource CEL defines has() as "the key is present", which rules such as <c>!has(self.a) || self.a != ''</c>
    /// depend on. Over maps that is exactly <c>'f' in x</c>, so the macro is rewritten before compiling.
    /// </summary>
    internal static string PresenceAsKeyTest(string expression) => HasMacro().Replace(expression, "('$2' in $1)");

    [System.Text.RegularExpressions.GeneratedRegex(@"\bhas\(\s*([A-Za-z_][A-Za-z0-9_.]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\)")]
    private static partial System.Text.RegularExpressions.Regex HasMacro();

    /// <summary>Null when the rule holds; otherwise the message to report (or an evaluation error).</summary>
    public (bool Ok, string? Message) Evaluate(Dictionary<string, object?> variables)
    {
        if (Program is null) return (true, null);
        object? result;
        try
        {
            result = Program.Invoke(variables);
        }
        catch (Exception ex)
        {
            return (false, $"{ex.Message} evaluating rule: {Rule}");
        }
        if (result is true) return (true, null);
        if (result is not bool) return (false, $"rule did not evaluate to a bool: {Rule}");
        if (MessageProgram is not null)
        {
            try
            {
                if (MessageProgram.Invoke(variables) is string { Length: > 0 } text) return (false, text);
            }
            catch (Exception)
            {
                // kube-apiserver falls back to the static message when messageExpression fails.
            }
        }
        return (false, Message ?? $"failed rule: {Rule}");
    }

    /// <summary>The variables for the rules of one node; built once and shared by all of them.</summary>
    public static Dictionary<string, object?> Variables(JsonNode? self, SchemaNode schema) => new() { ["self"] = ToCel(self, schema) };

    /// <summary>Converts a JSON value into the types the Cel package works on, following the schema's numeric types.</summary>
    private static object? ToCel(JsonNode? node, SchemaNode? schema) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToCel(p.Value, ChildSchema(schema, p.Key))),
        JsonArray a => a.Select(i => ToCel(i, schema?.Items)).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when schema?.Type == "number" => v.GetValue<double>(),
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : IntegralOrDouble(v),
            _ => null,
        },
        _ => null,
    };

    private static object IntegralOrDouble(JsonValue v)
    {
        var d = double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        return Math.Floor(d) == d && Math.Abs(d) < 9.2e18 ? (long)d : d;
    }

    private static SchemaNode? ChildSchema(SchemaNode? schema, string key) =>
        schema?.Properties is { } props && props.TryGetValue(key, out var s) ? s : schema?.AdditionalProperties;
}
