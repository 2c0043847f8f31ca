using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Schema;

namespace KubeOS.Sandbox.CustomResources;

/// <summary>Admission backed by the CRD schema engine: pruning, defaulting, OpenAPI and CEL validation.</summary>
public sealed class SchemaAdmission(CrdSchema schema) : ICustomResourceAdmission
{
    public AdmissionResult Admit(JsonObject obj)
    {
        var result = schema.Admit(obj);
        var causes = result.Causes.Select(c => new StatusCause(c.Type, c.Message, c.Field.Length == 0 ? null : c.Field)).ToList();
        return new AdmissionResult(result.Object as JsonObject ?? obj, causes);
    }
}
