using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using AgentSysConfig = KubeOS.Api.Agent.SysConfig;

namespace KubeOS.Proxy.Execution;

/// <summary>The agent's request messages, built from the OS and the OSInstance as KubeOS's proxy builds them (§3.2.1, §3.4).</summary>
public static class AgentRequests
{
    private static readonly System.Text.Json.JsonElement JsonNull = System.Text.Json.JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>Every field is written (KubeOS's agent rejects a request missing one); absent strings become "".</summary>
    public static UpgradeRequest Upgrade(OSSpec os) => new()
    {
        Version = os.OSVersion ?? "",
        CheckSum = (os.Checksum ?? "").ToLowerInvariant(),
        ImageType = os.ImageType ?? "",
        ContainerImage = os.ContainerImage ?? "",
        ImageUrl = os.ImageUrl ?? "",
        FlagSafe = os.FlagSafe == true,
        Mtls = os.Mtls == true,
        Certs = new CertsInfo { CaCert = os.CaCert ?? "", ClientCert = os.ClientCert ?? "", ClientKey = os.ClientKey ?? "" },
        BandwidthLimit = KubeOS.Api.Quantities.ByteRate.ParseOrZero(os.Prestage?.BandwidthLimit),
    };

    /// <summary>
    /// Models without contents are left out; each model's contents become a map keyed by key (a repeated key: the last
    /// wins). Null when nothing remains, in which case nothing is sent.
    /// </summary>
    public static ConfigureRequest? Configure(SysConfigs? configs)
    {
        var result = new ConfigureRequest();
        foreach (var config in configs?.Configs ?? [])
        {
            if (config?.Contents is not { Count: > 0 } contents) continue;
            var model = new AgentSysConfig { Model = config.Model ?? "", ConfigPath = config.ConfigPath ?? "" };
            foreach (var content in contents)
            {
                if (content?.Key is null) continue;
                // An absent value is sent as null: the agent's KeyInfo always carries a value.
                model.Contents[content.Key] = new KeyInfo { Value = content.HasValue ? content.Value.Clone() : JsonNull, Operation = content.Operation ?? "" };
            }
            result.Configs.Add(model);
        }
        return result.Configs.Count == 0 ? null : result;
    }
}
