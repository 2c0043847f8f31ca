namespace KubeOS.Sandbox.Schema;

/// <summary>One field error in kube-apiserver's form, as carried in a 422 Status's <c>details.causes</c>.</summary>
/// <param name="Type">The cause reason, e.g. <c>FieldValueRequired</c> (see <see cref="FieldCauseTypes"/>).</param>
/// <param name="Field">The field path, e.g. <c>spec.maxunavailable</c>.</param>
/// <param name="Message">The error body, e.g. <c>Invalid value: 0: spec.maxunavailable in body should be greater than or equal to 1</c>.</param>
public sealed record FieldCause(string Type, string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>The <c>field.ErrorType</c> reasons kube-apiserver reports for custom resources.</summary>
public static class FieldCauseTypes
{
    public const string Required = "FieldValueRequired";
    public const string NotSupported = "FieldValueNotSupported";
    public const string Invalid = "FieldValueInvalid";
    public const string TypeInvalid = "FieldValueTypeInvalid";
    public const string TooLong = "FieldValueTooLong";
    public const string TooMany = "FieldValueTooMany";
    public const string Forbidden = "FieldValueForbidden";
    public const string Duplicate = "FieldValueDuplicate";
}
