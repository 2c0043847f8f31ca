namespace KubeOS.Operator.Reconcile;

/// <summary>What this operator instance has done, for logs, health and tests (which instance acted, and how often).</summary>
public sealed class OperatorActivity
{
    private long _passes;
    private long _assignments;
    private long _deletedInstances;
    private long _conflicts;
    private volatile bool _leading;

    public long Passes => Interlocked.Read(ref _passes);
    public long Assignments => Interlocked.Read(ref _assignments);
    public long DeletedInstances => Interlocked.Read(ref _deletedInstances);
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>True while this instance holds the lease (or runs without leader election).</summary>
    public bool Leading { get => _leading; internal set => _leading = value; }

    internal void Pass() => Interlocked.Increment(ref _passes);
    internal void Assigned() => Interlocked.Increment(ref _assignments);
    internal void Deleted() => Interlocked.Increment(ref _deletedInstances);
    internal void Conflict() => Interlocked.Increment(ref _conflicts);
}
