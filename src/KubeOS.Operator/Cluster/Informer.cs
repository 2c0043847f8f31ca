using k8s;
using Microsoft.Extensions.Logging;

namespace KubeOS.Operator.Cluster;

/// <summary>
/// A watch-fed copy of one kind (informer style): list, then watch from the list's resourceVersion; a watch that
/// ends is resumed from the last resourceVersion seen, and any error (410 Gone included) falls back to a fresh list.
/// It also tracks the operator's own writes until they come back (<see cref="CaughtUp"/>), so no decision is made
/// on a copy that does not yet show them.
/// </summary>
public sealed class Informer<T>(
    string kind,
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string? ResourceVersion)>> list,
    Func<string?, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Item)>> watch,
    Func<T, string> keyOf,
    Func<T, string?> versionOf,
    Action changed,
    ILogger log,
    Func<T?, T, bool>? relevant = null) where T : class
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int RecentLimit = 4096;

    private readonly object _gate = new();
    private Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private long _lists;
    private int _relistRequested;

    public string Kind => kind;

    public bool Synced { get; private set; }

    /// <summary>How many full lists were made (the first, and one after each broken watch or forced relist).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>True when every write registered with <see cref="Wrote"/> is reflected in the copy.</summary>
    public bool CaughtUp
    {
        get { lock (_gate) return Synced && _pending.Count == 0; }
    }

    public IReadOnlyList<T> Items()
    {
        lock (_gate) return _items.Values.ToList();
    }

    /// <summary>Registers the resourceVersion one of our writes returned; the copy is behind until it arrives.</summary>
    public void Wrote(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion)) return;
        lock (_gate)
        {
            if (!_recent.Contains(resourceVersion)) _pending.Add(resourceVersion);
        }
    }

    /// <summary>Gives up waiting for the watch: the copy is rebuilt from a fresh list, which includes every completed write.</summary>
    public void RequestRelist()
    {
        Interlocked.Exchange(ref _relistRequested, 1);
        try { _watchStop?.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private volatile CancellationTokenSource? _watchStop;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Interlocked.Exchange(ref _relistRequested, 0);
                string[] writtenBefore;
                lock (_gate) writtenBefore = [.. _pending];
                var (items, version) = await list(ct).ConfigureAwait(false);
                Interlocked.Increment(ref _lists);
                lock (_gate)
                {
                    _items = items.ToDictionary(keyOf, StringComparer.Ordinal);
                    foreach (var item in _items.Values) Remember(versionOf(item));
                    // A list is a fresh read: it includes every write that completed before it started.
                    _pending.ExceptWith(writtenBefore);
                    Synced = true;
                }
                changed();
                while (!ct.IsCancellationRequested && Volatile.Read(ref _relistRequested) == 0)
                    version = await WatchFromAsync(version, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogDebug(e, "Watch of {Kind} broke; listing again", kind);
                try { await Task.Delay(RetryDelay, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Applies one watch until it ends (or a relist is asked for); returns the resourceVersion to resume from.</summary>
    private async Task<string?> WatchFromAsync(string? version, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _watchStop = stop;
        try
        {
            return await ApplyAsync(version, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return version;
        }
        finally
        {
            _watchStop = null;
        }
    }

    private async Task<string?> ApplyAsync(string? version, CancellationToken ct)
    {
        if (Volatile.Read(ref _relistRequested) == 1) return version;
        // KubernetesClient hands ERROR events (410 Gone: the resourceVersion left the server's history) to onError.
        Exception? error = null;
        await foreach (var (type, item) in watch(version, e => error ??= e, ct).WithCancellation(ct).ConfigureAwait(false))
        {
            if (error is not null) break;
            if (type == WatchEventType.Error) throw new InvalidOperationException($"the watch of {kind} reported an error");
            var itemVersion = versionOf(item);
            if (type != WatchEventType.Bookmark)
            {
                var key = keyOf(item);
                T? before;
                lock (_gate)
                {
                    _items.TryGetValue(key, out before);
                    if (type == WatchEventType.Deleted) _items.Remove(key);
                    else _items[key] = item;
                    Remember(itemVersion);
                }
                if (type != WatchEventType.Modified || relevant is null || relevant(before, item)) changed();
            }
            if (!string.IsNullOrEmpty(itemVersion)) version = itemVersion;
            if (Volatile.Read(ref _relistRequested) == 1) break;
        }
        if (error is not null) throw new InvalidOperationException($"the watch of {kind} failed: {error.Message}", error);
        return version;
    }

    private void Remember(string? version)
    {
        if (string.IsNullOrEmpty(version)) return;
        _pending.Remove(version);
        if (!_recent.Add(version)) return;
        _recentOrder.Enqueue(version);
        if (_recentOrder.Count > RecentLimit) _recent.Remove(_recentOrder.Dequeue());
    }
}
