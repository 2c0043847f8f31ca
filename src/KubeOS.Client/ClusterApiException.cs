using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace KubeOS.Client;

/// <summary>An API call that failed: the server's status code and its Status message, or why the server was not reached.</summary>
public sealed class ClusterApiException(string message, HttpStatusCode? statusCode, Exception inner) : Exception(message, inner)
{
    /// <summary>Null when no answer came (connection refused, TLS failure, timeout).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>Wraps what KubernetesClient throws; other exceptions are returned unchanged.</summary>
    public static Exception Wrap(Exception ex, string operation, string server) => ex switch
    {
        HttpOperationException http => new ClusterApiException(
            $"{operation} failed on {server}: {(int)http.Response.StatusCode} {StatusMessage(http.Response.Content) ?? http.Response.ReasonPhrase}",
            http.Response.StatusCode, http),
        HttpRequestException request => new ClusterApiException(
            $"{operation} failed: the API server {server} cannot be reached ({request.Message}).", null, request),
        TaskCanceledException canceled when !canceled.CancellationToken.IsCancellationRequested => new ClusterApiException(
            $"{operation} failed: the API server {server} did not answer in time.", null, canceled),
        _ => ex,
    };

    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var message)
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
