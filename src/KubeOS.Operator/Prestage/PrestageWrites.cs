using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Operator.Prestage;

/// <summary>The OSInstance spec that asks a node to pre-stage: the observed spec, untouched but for spec.prestage.</summary>
public static class PrestageWrites
{
    public static OSInstanceSpec SpecWith(OSInstance osi, PrestageRequest request)
    {
        var spec = osi.Spec is null ? new OSInstanceSpec() : ManifestSerializer.FromJson<OSInstanceSpec>(ManifestSerializer.ToJson(osi.Spec, indented: false));
        spec.Prestage = request;
        return spec;
    }
}
