using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>
/// A count written either as an integer (<c>2</c>, as KubeOS manifests do) or as a share of a total (<c>"25%"</c>),
/// like Kubernetes' IntOrString in a Deployment's maxUnavailable. A percentage resolves rounded down, but never below 1,
/// so a small group still makes progress.
/// </summary>
[JsonConverter(typeof(IntOrPercentJsonConverter))]
public readonly record struct IntOrPercent
{
    private IntOrPercent(int? count, int? percent)
    {
        Count = count;
        Percent = percent;
    }

    /// <summary>The integer form; null for a percentage.</summary>
    public int? Count { get; }

    /// <summary>The percentage form (25 for "25%"); null for an integer.</summary>
    public int? Percent { get; }

    public bool IsPercent => Percent is not null;

    public static IntOrPercent Of(int count) => new(count, null);

    public static IntOrPercent OfPercent(int percent) => new(null, percent);

    public static implicit operator IntOrPercent(int count) => Of(count);

    /// <summary>The count this stands for out of <paramref name="total"/>: the integer itself, or the percentage rounded down, at least 1.</summary>
    public int Resolve(int total) => Percent is { } p ? Math.Max(1, (int)((long)total * p / 100)) : Count ?? 0;

    /// <summary>Reads "3", "25%" or " 25 % " (as PowerShell users type it); null when the text is neither.</summary>
    public static IntOrPercent? TryParse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (t.EndsWith('%'))
            return int.TryParse(t[..^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? OfPercent(p) : null;
        return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? Of(n) : null;
    }

    public override string ToString() =>
        Percent is { } p ? p.ToString(CultureInfo.InvariantCulture) + "%" : (Count ?? 0).ToString(CultureInfo.InvariantCulture);
}

/// <summary>JSON number for the integer form, JSON string "N%" for the percentage form.</summary>
public sealed class IntOrPercentJsonConverter : JsonConverter<IntOrPercent>
{
    public override IntOrPercent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n)) return IntOrPercent.Of(n);
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } s && s.EndsWith('%') && IntOrPercent.TryParse(s) is { } parsed)
            return parsed;
        // ModelBinder turns "must be …," into the field's problem message; a plain word keeps KubeOS's "an integer",
        // something that looks like a percentage is told the percentage form.
        throw reader.TokenType == JsonTokenType.String && reader.GetString()?.Contains('%') == true
            ? new JsonException("must be an integer or a percentage from 1% to 100% such as \"25%\", got another value")
            : new JsonException("must be an integer, got another value");
    }

    public override void Write(Utf8JsonWriter writer, IntOrPercent value, JsonSerializerOptions options)
    {
        if (value.Percent is not null) writer.WriteStringValue(value.ToString());
        else writer.WriteNumberValue(value.Count ?? 0);
    }
}
