using System.Diagnostics;

namespace KubeOS.Client.Http;

/// <summary>
/// Reports every API request (method, path and query, status, time taken) to a callback, so <c>-Verbose</c> shows what
/// a cmdlet asked of the cluster. The callback runs on whichever thread sent the request; callers that must stay on
/// one thread (PowerShell's pipeline thread) queue the text.
/// </summary>
public sealed class ApiCallReporter(Action<string> report) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = $"{request.Method} {request.RequestUri?.PathAndQuery}";
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            report($"{call} -> {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            report($"{call} -> failed: {ex.Message} ({clock.ElapsedMilliseconds} ms)");
            throw;
        }
    }
}
