namespace KubeOS.Operator.Cluster;

/// <summary>
/// A write was refused because the object changed since it was observed (HTTP 409). The pass stops and the cluster is
/// observed again; retrying the same write would act on state that no longer holds.
/// </summary>
public sealed class StaleObservationException(string message, Exception inner) : Exception(message, inner);
