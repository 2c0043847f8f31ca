using KubeOS.Sandbox.CustomResources;
using KubeOS.Sandbox.Tables;

namespace KubeOS.Sandbox.Resources;

/// <summary>
/// Everything the server needs to know about one served resource: how it is addressed, discovered and stored, and
/// which of kube-apiserver's per-type strategy rules apply to it.
/// </summary>
public sealed class ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public string ListKind => Kind + "List";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>A status subresource exists: the main resource ignores status, /status ignores everything else.</summary>
    public bool HasStatus { get; init; }

    /// <summary>metadata.generation is maintained (set to 1 on create, bumped on spec changes).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Status sent on create is dropped (deployments, PDBs, custom resources with a status subresource).</summary>
    public bool ResetStatusOnCreate { get; init; }

    /// <summary>PUT without metadata.resourceVersion is allowed (false for custom resources, as in kube-apiserver).</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>Strategic merge patch is accepted (built-in kinds only; custom resources answer 415).</summary>
    public bool SupportsStrategicMerge { get; init; } = true;

    public bool IsCustom { get; init; }

    /// <summary>DELETE answers with the object rather than a Status (pods, serviceaccounts in kube-apiserver).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>Extra subresources beyond status (eviction, binding).</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    /// <summary>Columns for the Table form `kubectl get` asks for; null means the default Name/Age columns.</summary>
    public ITablePrinter? Printer { get; init; }

    /// <summary>Schema admission for custom resources (pruning, defaulting, validation).</summary>
    public ICustomResourceAdmission? Admission { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string ApiVersion => GroupVersion;
    public string Key => $"{Group}/{Plural}";

    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public override string ToString() => ApiErrorName;
    public string ApiErrorName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
