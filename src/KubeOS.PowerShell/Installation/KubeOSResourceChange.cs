namespace KubeOS.PowerShell;

/// <summary>What Install-KubeOSOperator or Uninstall-KubeOSOperator did to one cluster object.</summary>
public enum KubeOSResourceAction
{
    /// <summary>The object did not exist and was created.</summary>
    Created,

    /// <summary>The object existed and differed from the manifest; it was replaced.</summary>
    Updated,

    /// <summary>The object already held everything the manifest says; nothing was written.</summary>
    Unchanged,

    /// <summary>The object was deleted.</summary>
    Deleted,

    /// <summary>There was nothing to delete.</summary>
    NotFound,

    /// <summary>Left in place on purpose: a namespace the install did not create.</summary>
    Kept,
}

/// <summary>One object of the KubeOS deployment and what was done to it. Written by Install-/Uninstall-KubeOSOperator.</summary>
public sealed class KubeOSResourceChange
{
    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>Null for cluster-scoped objects (Namespace, ClusterRole, ClusterRoleBinding, CustomResourceDefinition).</summary>
    public string? Namespace { get; init; }

    public required KubeOSResourceAction Action { get; init; }

    public required string ApiVersion { get; init; }

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
