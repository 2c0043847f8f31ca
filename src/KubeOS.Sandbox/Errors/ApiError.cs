using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Errors;

/// <summary>One entry of Status.details.causes.</summary>
public sealed record StatusCause(string? Type, string? Message, string? Field);

/// <summary>
/// A failure answered as a metav1.Status object, built the way kube-apiserver's k8s.io/apimachinery/pkg/api/errors
/// constructors build them, so clients that switch on reason and code behave as they do against a real cluster.
/// </summary>
public sealed class ApiError : Exception
{
    public int Code { get; }
    public string Reason { get; }
    public string? DetailsName { get; init; }
    public string? DetailsGroup { get; init; }
    public string? DetailsKind { get; init; }
    public IReadOnlyList<StatusCause> Causes { get; init; } = [];
    public int? RetryAfterSeconds { get; init; }

    public ApiError(int code, string reason, string message) : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0) status["reason"] = Reason;
        var details = new JsonObject();
        if (DetailsName is { Length: > 0 }) details["name"] = DetailsName;
        if (DetailsGroup is { Length: > 0 }) details["group"] = DetailsGroup;
        if (DetailsKind is { Length: > 0 }) details["kind"] = DetailsKind;
        if (Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var c in Causes)
            {
                var cause = new JsonObject();
                if (c.Type is not null) cause["reason"] = c.Type;
                if (c.Message is not null) cause["message"] = c.Message;
                if (c.Field is not null) cause["field"] = c.Field;
                causes.Add(cause);
            }
            details["causes"] = causes;
        }
        if (RetryAfterSeconds is > 0) details["retryAfterSeconds"] = RetryAfterSeconds.Value;
        if (details.Count > 0) status["details"] = details;
        status["code"] = Code;
        return status;
    }

    /// <summary>"pods" for the core group, "deployments.apps" otherwise — GroupResource.String().</summary>
    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    public static ApiError NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found")
        { DetailsName = name, DetailsGroup = group, DetailsKind = resource };

    public static ApiError AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists")
        { DetailsName = name, DetailsGroup = group, DetailsKind = resource };

    public static ApiError Conflict(string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {why}")
        { DetailsName = name, DetailsGroup = group, DetailsKind = resource };

    public const string ModifiedMessage =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiError StaleResourceVersion(string group, string resource, string name) =>
        Conflict(group, resource, name, ModifiedMessage);

    /// <summary>NewInvalid: the message names the kind (not the resource) and lists every field error.</summary>
    public static ApiError Invalid(string group, string kind, string name, IReadOnlyList<StatusCause> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var texts = causes.Select(c => c.Field is { Length: > 0 } ? $"{c.Field}: {c.Message}" : c.Message ?? "").ToList();
        var aggregate = texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        return new ApiError(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}")
        { DetailsName = name, DetailsGroup = group, DetailsKind = kind, Causes = causes };
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError MethodNotSupported(string group, string resource, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{Qualified(resource, group)}\"")
        { DetailsGroup = group, DetailsKind = resource };

    /// <summary>The resourceVersion a watch or continue token asks for is no longer in the event history.</summary>
    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError TooManyRequests(string message, IReadOnlyList<StatusCause> causes, int retryAfterSeconds = 0) =>
        new(429, "TooManyRequests", message) { Causes = causes, RetryAfterSeconds = retryAfterSeconds };

    public static ApiError Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}") { Causes = [new StatusCause(null, message, null)] };

    public static ApiError Forbidden(string group, string resource, string name, string why) =>
        new(403, "Forbidden", $"{Qualified(resource, group)} \"{name}\" is forbidden: {why}")
        { DetailsName = name, DetailsGroup = group, DetailsKind = resource };

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {contentType})");

    public static ApiError Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
