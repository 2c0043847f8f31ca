using System.Text.Json;
using KubeOS.Sandbox.Schema;

namespace KubeOS.Sandbox.CustomResources;

/// <summary>Chooses the admission for a CRD version's openAPIV3Schema.</summary>
public static class CustomResourceAdmissionFactory
{
    /// <summary>
    /// The schema engine's admission, or pass-through when the version has no schema or uses constructs the engine
    /// does not evaluate (allOf/anyOf/oneOf/not). A rule that does not compile throws <see cref="ArgumentException"/>,
    /// which the CRD validation turns into a 422 as kube-apiserver does.
    /// </summary>
    public static ICustomResourceAdmission For(JsonElement? openApiV3Schema)
    {
        if (openApiV3Schema is not { } schema) return PassThroughAdmission.Instance;
        try
        {
            return new SchemaAdmission(CrdSchema.FromCrdVersion(schema));
        }
        catch (NotSupportedException)
        {
            return PassThroughAdmission.Instance;
        }
    }
}
