using System.Security.Cryptography;
using System.Text;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Nodes apply settings only when the config version changes. When no version is given one is derived from the
/// settings themselves, so the same settings keep their version (nothing re-applied) and different ones get a new one.
/// </summary>
internal static class ConfigVersions
{
    public static string Derive(IEnumerable<SysConfig> configs)
    {
        var json = ManifestSerializer.ToJson(new SysConfigs { Configs = configs.ToList() }, indented: false);
        return "c-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..10].ToLowerInvariant();
    }
}
