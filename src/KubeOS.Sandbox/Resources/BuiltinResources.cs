using KubeOS.Sandbox.Tables;

namespace KubeOS.Sandbox.Resources;

/// <summary>The built-in kinds the sandbox serves, with kube-apiserver's short names and strategy rules.</summary>
public static class BuiltinResources
{
    public static readonly ResourceType Namespaces = new()
    {
        Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
        Namespaced = false, ShortNames = ["ns"], HasStatus = true, Printer = BuiltinPrinters.Namespace,
    };

    public static readonly ResourceType Nodes = new()
    {
        Group = "", Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node",
        Namespaced = false, ShortNames = ["no"], HasStatus = true, Printer = BuiltinPrinters.Node,
    };

    public static readonly ResourceType Pods = new()
    {
        Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod",
        Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatus = true,
        ExtraSubresources = ["eviction", "binding"], Printer = BuiltinPrinters.Pod, ReturnDeletedObject = true,
    };

    public static readonly ResourceType Events = new()
    {
        Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
        Namespaced = true, ShortNames = ["ev"], Printer = BuiltinPrinters.Event,
    };

    public static readonly ResourceType ConfigMaps = new()
    {
        Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap",
        Namespaced = true, ShortNames = ["cm"], Printer = BuiltinPrinters.ConfigMap,
    };

    public static readonly ResourceType Secrets = new()
    {
        Group = "", Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret",
        Namespaced = true, Printer = BuiltinPrinters.Secret,
    };

    public static readonly ResourceType ServiceAccounts = new()
    {
        Group = "", Version = "v1", Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount",
        Namespaced = true, ShortNames = ["sa"], ReturnDeletedObject = true,
    };

    public static readonly ResourceType DaemonSets = new()
    {
        Group = "apps", Version = "v1", Plural = "daemonsets", Singular = "daemonset", Kind = "DaemonSet",
        Namespaced = true, ShortNames = ["ds"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
        ResetStatusOnCreate = true, Printer = BuiltinPrinters.DaemonSet,
    };

    public static readonly ResourceType ReplicaSets = new()
    {
        Group = "apps", Version = "v1", Plural = "replicasets", Singular = "replicaset", Kind = "ReplicaSet",
        Namespaced = true, ShortNames = ["rs"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
        ResetStatusOnCreate = true, Printer = BuiltinPrinters.ReplicaSet,
    };

    public static readonly ResourceType Deployments = new()
    {
        Group = "apps", Version = "v1", Plural = "deployments", Singular = "deployment", Kind = "Deployment",
        Namespaced = true, ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
        ResetStatusOnCreate = true, Printer = BuiltinPrinters.Deployment,
    };

    public static readonly ResourceType PodDisruptionBudgets = new()
    {
        Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Singular = "poddisruptionbudget",
        Kind = "PodDisruptionBudget", Namespaced = true, ShortNames = ["pdb"], HasStatus = true,
        TracksGeneration = true, ResetStatusOnCreate = true, Printer = BuiltinPrinters.PodDisruptionBudget,
    };

    public static readonly ResourceType Leases = new()
    {
        Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease",
        Namespaced = true,
    };

    public static readonly ResourceType CustomResourceDefinitions = new()
    {
        Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition", Kind = "CustomResourceDefinition", Namespaced = false,
        ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatus = true, TracksGeneration = true,
        ResetStatusOnCreate = true, Printer = BuiltinPrinters.CustomResourceDefinition,
    };

    public static readonly ResourceType Roles = Rbac("roles", "role", "Role", true);
    public static readonly ResourceType RoleBindings = Rbac("rolebindings", "rolebinding", "RoleBinding", true);
    public static readonly ResourceType ClusterRoles = Rbac("clusterroles", "clusterrole", "ClusterRole", false);
    public static readonly ResourceType ClusterRoleBindings =
        Rbac("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false);

    private static ResourceType Rbac(string plural, string singular, string kind, bool namespaced) => new()
    {
        Group = "rbac.authorization.k8s.io", Version = "v1", Plural = plural, Singular = singular, Kind = kind,
        Namespaced = namespaced,
    };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Nodes, Pods, Events, ConfigMaps, Secrets, ServiceAccounts,
        DaemonSets, ReplicaSets, Deployments, PodDisruptionBudgets, Leases, CustomResourceDefinitions,
        Roles, RoleBindings, ClusterRoles, ClusterRoleBindings,
    ];
}
