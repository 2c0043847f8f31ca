using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.CustomResources;

/// <summary>The outcome of admitting a custom resource: the pruned/defaulted object and any field errors.</summary>
public sealed record AdmissionResult(JsonObject Admitted, IReadOnlyList<StatusCause> Causes);

/// <summary>
/// Schema admission of one served CRD version (structural pruning, defaulting, validation). The server depends only
/// on this seam; <see cref="CustomResourceAdmissionFactory"/> decides which engine backs it.
/// </summary>
public interface ICustomResourceAdmission
{
    AdmissionResult Admit(JsonObject obj);
}

/// <summary>Admits everything unchanged: used while no schema engine is available for a version.</summary>
public sealed class PassThroughAdmission : ICustomResourceAdmission
{
    public static PassThroughAdmission Instance { get; } = new();
    public AdmissionResult Admit(JsonObject obj) => new(obj, []);
}
