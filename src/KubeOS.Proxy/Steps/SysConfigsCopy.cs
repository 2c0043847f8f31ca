using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Proxy.Steps;

public static class SysConfigsCopy
{
    /// <summary>
    /// sysconfigs of an upgrade or rollback are applied after the reboot, when the partition that was "next" is the
    /// running one: grub.cmdline.current and .next swap, as when the operator assigns them (KubeOS's proxy forgets the
    /// swap when it copies a changed block mid-operation). A deep copy, so the OS object is never shared.
    /// </summary>
    public static SysConfigs? ForAfterReboot(SysConfigs? configs)
    {
        if (configs is null) return null;
        var copy = ManifestSerializer.FromJson<SysConfigs>(ManifestSerializer.ToJson(configs, indented: false));
        foreach (var config in copy.Configs ?? [])
        {
            if (config is null) continue;
            config.Model = config.Model switch
            {
                WellKnown.Models.GrubCmdlineCurrent => WellKnown.Models.GrubCmdlineNext,
                WellKnown.Models.GrubCmdlineNext => WellKnown.Models.GrubCmdlineCurrent,
                var other => other,
            };
        }
        return copy;
    }
}
