using System.Collections.Concurrent;

namespace KubeOS.Operator.Benchmarks;

/// <summary>Counts the requests a client makes to the API server by method and resource (a watch counts once, when opened).</summary>
public sealed class RequestCounter : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>"GET nodes", "PUT osinstances/status", "WATCH osinstances", … with their counts.</summary>
    public IReadOnlyDictionary<string, long> ByKind => _byKind.ToDictionary(kv => kv.Key, kv => kv.Value);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var uri = request.RequestUri;
        var watch = uri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;
        _byKind.AddOrUpdate($"{(watch ? "WATCH" : request.Method.Method)} {Resource(uri?.AbsolutePath ?? "")}", 1, (_, n) => n + 1);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>/api/v1/nodes/n1 → nodes; /apis/g/v/namespaces/default/osinstances/n1/status → osinstances/status.</summary>
    private static string Resource(string path)
    {
        var parts = path.Trim('/').Split('/');
        var start = parts[0] == "api" ? 2 : 3;
        if (parts.Length > start + 1 && parts[start] == "namespaces") start += 2;
        if (parts.Length <= start) return path;
        var resource = parts[start];
        return parts.Length > start + 2 ? resource + "/" + parts[start + 2] : resource;
    }
}
