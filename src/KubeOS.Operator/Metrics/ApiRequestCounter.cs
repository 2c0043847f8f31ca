namespace KubeOS.Operator.Metrics;

/// <summary>
/// Counts the operator's requests to the API server by HTTP method (a watch counts once, when it is opened), so the
/// load a rollout puts on the control plane is visible as kubeos_operator_api_requests_total.
/// </summary>
public sealed class ApiRequestCounter(OperatorMetrics metrics) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var watch = request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;
        metrics.ApiRequest(watch ? "WATCH" : request.Method.Method);
        return base.SendAsync(request, cancellationToken);
    }
}
