using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Benchmarks;

/// <summary>Latency from a node update to its MODIFIED event arriving at each of N open watches.</summary>
public static class WatchFanOut
{
    public sealed record Result(double P50, double P99);

    public static async Task<Result> MeasureAsync(SandboxServer server, HttpClient http, int watchers, int updates)
    {
        var service = server.Resources;
        var rv = service.Store.CurrentResourceVersion;
        using var stop = new CancellationTokenSource();
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        var sentAt = new double[updates];
        var arrived = Enumerable.Range(0, updates).Select(_ => new CountdownEvent(watchers)).ToArray();
        // The server subscribes a watch before it sends the response headers, so headers mean "watching".
        using var opened = new CountdownEvent(watchers);

        var tasks = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
        {
            using var response = await http.GetAsync(
                $"/api/v1/nodes?watch=true&fieldSelector=metadata.name=node-0&resourceVersion={rv}&timeoutSeconds=300",
                HttpCompletionOption.ResponseHeadersRead, stop.Token);
            opened.Signal();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            for (var seen = 0; seen < updates; seen++)
            {
                if (await reader.ReadLineAsync(stop.Token) is null) break;
                var latency = clock.Elapsed.TotalMilliseconds - Volatile.Read(ref sentAt[seen]);
                lock (samples) samples.Add(latency);
                arrived[seen].Signal();
            }
        })).ToList();

        if (!await Task.Run(() => opened.Wait(TimeSpan.FromMinutes(2))))
            throw new TimeoutException($"only {watchers - opened.CurrentCount} of {watchers} watches opened");
        for (var u = 0; u < updates; u++)
        {
            Volatile.Write(ref sentAt[u], clock.Elapsed.TotalMilliseconds);
            service.Patch(BuiltinResources.Nodes, null, "node-0", "application/merge-patch+json",
                JsonNode.Parse("{\"metadata\":{\"labels\":{\"bench\":\"u" + u + "\"}}}"), null);
            if (!arrived[u].Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException($"update {u} reached {watchers - arrived[u].CurrentCount} of {watchers} watches");
        }
        await stop.CancelAsync();
        try { await Task.WhenAll(tasks); }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException) { }
        samples.Sort();
        return new Result(samples[samples.Count / 2], samples[Math.Min(samples.Count - 1, (int)(samples.Count * 0.99))]);
    }
}
