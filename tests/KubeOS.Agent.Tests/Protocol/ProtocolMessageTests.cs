using System.Text.Json;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Protocol;

public sealed class ProtocolMessageTests
{
    [Fact]
    public void UpgradeRequest_WritesEveryKubeOSField_InSnakeCase_EvenWhenEmpty()
    {
        var json = JsonSerializer.Serialize(new UpgradeRequest { Version = "v2", Mtls = true }, AgentJsonContext.Default.UpgradeRequest);
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(["version", "check_sum", "image_type", "container_image", "image_url", "flag_safe", "mtls", "certs"], names);
        Assert.Equal(["ca_cert", "client_cert", "client_key"], doc.RootElement.GetProperty("certs").EnumerateObject().Select(p => p.Name));
        Assert.True(doc.RootElement.GetProperty("mtls").GetBoolean());
    }

    [Fact]
    public void ConfigureRequest_AsKubeOSProxySendsIt_KeepsAnyJsonValue()
    {
        const string json = """
            {"configs":[{"model":"kubernetes.kubelet","config_path":"","contents":{
              "evictionHard":{"value":{"memory.available":"100Mi"},"operation":""},
              "maxPods":{"value":110,"operation":"update"},
              "serializeImagePulls":{"value":false,"operation":"delete"}}}]}
            """;
        var request = JsonSerializer.Deserialize(json, AgentJsonContext.Default.ConfigureRequest)!;

        var contents = Assert.Single(request.Configs).Contents;
        Assert.Equal(JsonValueKind.Object, contents["evictionHard"].Value.ValueKind);
        Assert.Equal(110, contents["maxPods"].Value.GetInt32());
        Assert.Equal("delete", contents["serializeImagePulls"].Operation);
    }

    [Fact]
    public void ErrorResponse_HasCodeAndMessage_AndNoResult()
    {
        var response = new JsonRpcResponse
        {
            Id = JsonDocument.Parse("7").RootElement,
            Error = new JsonRpcError { Code = JsonRpcError.AgentFailure, Message = AgentException.BusyMessage },
        };
        var json = JsonSerializer.Serialize(response, AgentJsonContext.Default.JsonRpcResponse);

        Assert.Equal("""{"jsonrpc":"2.0","error":{"code":-1,"message":"os-agent is processing another request"},"id":7}""", json);
    }

    [Fact]
    public void AgentResponse_ReadsKubeOSStatusStrings()
    {
        var response = JsonSerializer.Deserialize("""{"status":"Rollbacked"}""", AgentJsonContext.Default.AgentResponse)!;
        Assert.Equal(AgentStatus.Rollbacked, response.Status);
        Assert.Null(response.Changes);
    }
}
