using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Resources;

/// <summary>Namespaces: phase Active, the "kubernetes" finalizer in spec and the kubernetes.io/metadata.name label.</summary>
public sealed class NamespaceStrategy : KindStrategy
{
    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        spec["finalizers"] ??= new JsonArray("kubernetes");
        obj["spec"] = spec;
        SetNameLabel(obj);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => SetNameLabel(obj);

    private static void SetNameLabel(JsonObject obj)
    {
        var meta = obj["metadata"]!.AsObject();
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        labels["kubernetes.io/metadata.name"] = meta["name"]!.ToString();
        meta["labels"] = labels;
    }
}

/// <summary>Pods: created Pending with a QoS class, as the pod strategy resets status on create.</summary>
public sealed class PodStrategy : KindStrategy
{
    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj, JsonObject? old)
    {
        if (obj["spec"]?["containers"] is not JsonArray { Count: > 0 })
            yield return Required("spec.containers", "");
        if (old is not null)
        {
            var oldNode = old["spec"]?["nodeName"]?.ToString();
            var newNode = obj["spec"]?["nodeName"]?.ToString();
            if (oldNode != newNode && !string.IsNullOrEmpty(oldNode))
                yield return Forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
    }
}

/// <summary>PodDisruptionBudgets: minAvailable and maxUnavailable are mutually exclusive.</summary>
public sealed class PodDisruptionBudgetStrategy : KindStrategy
{
    public override IEnumerable<StatusCause> Validate(JsonObject obj, JsonObject? old)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec?["minAvailable"] is not null && spec["maxUnavailable"] is not null)
            yield return InvalidValue("spec", spec, "minAvailable and maxUnavailable cannot be both set")
                with { Message = "Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set" };
        foreach (var field in new[] { "minAvailable", "maxUnavailable" })
        {
            if (spec?[field] is not JsonValue v) continue;
            if (v.TryGetValue<long>(out var n))
            {
                if (n < 0) yield return InvalidValue($"spec.{field}", v, "must be greater than or equal to 0");
            }
            else if (v.TryGetValue<string>(out var s) && !System.Text.RegularExpressions.Regex.IsMatch(s, @"^\d+%$"))
                yield return InvalidValue($"spec.{field}", v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        }
    }
}

/// <summary>
/// Secrets: an empty type defaults to Opaque (SetDefaults_Secret), and stringData is write-only — each of its keys is
/// base64-encoded into data, overriding a data key of the same name, and stringData itself is never stored
/// (the v1 Secret conversion).
/// </summary>
public sealed class SecretStrategy : KindStrategy
{
    public override void PrepareForCreate(JsonObject obj)
    {
        if (string.IsNullOrEmpty(obj["type"]?.ToString())) obj["type"] = "Opaque";
        if (obj["stringData"] is JsonObject stringData)
        {
            if (obj["data"] is not JsonObject data) obj["data"] = data = new JsonObject();
            foreach (var (key, value) in stringData)
                data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value is JsonValue v && v.TryGetValue<string>(out var text) ? text : ""));
        }
        obj.Remove("stringData");
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => PrepareForCreate(obj);
}
