using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Schema;

/// <summary>
/// The schema of one CustomResourceDefinition version, applied to custom resources the way kube-apiserver does:
/// prune unknown fields, apply defaults, drop non-nullable nulls, validate against the OpenAPI v3 structural schema,
/// then evaluate the x-kubernetes-validations CEL rules unless a type, required, enum or size error blocks them.
/// </summary>
public sealed class CrdSchema
{
    /// <summary>The message kube-apiserver adds when schema errors keep it from evaluating the CEL rules.</summary>
    public const string RulesNotChecked =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private static readonly HashSet<string> BlockingTypes =
    [
        FieldCauseTypes.NotSupported, FieldCauseTypes.Required, FieldCauseTypes.TooLong, FieldCauseTypes.TooMany, FieldCauseTypes.TypeInvalid,
    ];

    private readonly SchemaNode root;
    private readonly bool hasRules;

    private CrdSchema(SchemaNode root)
    {
        this.root = root;
        hasRules = HasRules(root);
    }

    private static bool HasRules(SchemaNode s) =>
        s.Rules.Count > 0 || s.Properties?.Values.Any(HasRules) == true ||
        s.Items is { } items && HasRules(items) || s.AdditionalProperties is { } ap && HasRules(ap);

    /// <summary>
    /// Loads <c>spec.versions[*].schema.openAPIV3Schema</c>. Throws <see cref="ArgumentException"/> when a CEL rule
    /// does not compile and <see cref="NotSupportedException"/> for allOf/anyOf/oneOf/not, which this engine does not evaluate.
    /// </summary>
    public static CrdSchema FromCrdVersion(JsonElement openApiV3Schema) =>
        new(SchemaNode.Parse(openApiV3Schema, "openAPIV3Schema"));

    /// <summary>Admits a new object (create semantics: transition rules that read oldSelf are not run).</summary>
    public SchemaResult Admit(JsonNode obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone();
        var pruned = new List<string>();
        Pruner.Prune(copy, root, "", true, pruned);
        Defaulter.Apply(copy, root);
        var causes = new List<FieldCause>();
        OpenApiValidator.Validate(copy, root, "", true, causes);
        // kube-apiserver does not run CEL rules over an object whose shape is already wrong: the rules were written
        // for values of the declared types, present where required, within the declared sizes.
        if (hasRules)
        {
            if (causes.Any(c => BlockingTypes.Contains(c.Type)))
                causes.Add(new FieldCause(FieldCauseTypes.Invalid, "", "Invalid value: null: " + RulesNotChecked));
            else
                OpenApiValidator.ValidateRules(copy, root, "", true, causes);
        }
        return new SchemaResult { Object = copy, Causes = causes, PrunedFields = pruned };
    }
}
