using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KubeOS.ImageBuilder.Configuration;

/// <summary>The <c>[admin_container]</c> and <c>[pxe_config]</c> tables.</summary>
public static partial class KbimgTomlReader
{
    private static AdminContainerSection? ReadAdminContainer(TomlSection? s)
    {
        if (s is null) return null;
        var section = new AdminContainerSection
        {
            ImageName = s.String("img_name", required: true, fix: "add img_name = \"kubeos/admin-container:1.0.0\" to [admin_container].") ?? "",
            HostShellPath = s.String("hostshell"),
            Packages = s.StringList("packages") ?? [],
            SshPort = s.Int("ssh_port", 1, 65535) ?? AdminContainerSection.DefaultSshPort,
        };
        foreach (var p in section.Packages.Where(p => p.IndexOfAny(ShellSpecials) >= 0 || p.Any(char.IsWhiteSpace)))
            s.Error("packages", $"package name '{p}' contains spaces or shell special characters.", "list one package name per element.");
        s.RejectUnknownKeys();
        return section;
    }

    private static PxeConfigSection? ReadPxeConfig(TomlSection? s)
    {
        if (s is null) return null;
        var pxe = new PxeConfigSection
        {
            RootfsName = s.String("rootfs_name", required: true, fix: "add rootfs_name = \"rootfs.img\" (the file name on the HTTP server) to [pxe_config].") ?? "",
            Disk = s.String("disk", required: true, fix: "add disk = \"/dev/sda\" (the disk to install to) to [pxe_config].") ?? "",
            ServerIp = s.String("server_ip", required: true, fix: "add server_ip = \"<IPv4 address of the HTTP server>\" to [pxe_config].") ?? "",
            RouteIp = s.String("route_ip"),
            Dhcp = s.Bool("dhcp") ?? false,
            LocalIp = s.String("local_ip"),
            Netmask = s.String("netmask"),
            NetName = s.String("net_name"),
        };
        if (pxe.RootfsName.Length > 0 && !SafeWord().IsMatch(pxe.RootfsName))
            s.Error("rootfs_name", $"'{pxe.RootfsName}' is not a plain file name.", "use letters, digits, '.', '-' and '_' only, without '/'.");
        if (pxe.Disk.Length > 0 && !DevicePath().IsMatch(pxe.Disk))
            s.Error("disk", $"'{pxe.Disk}' is not a device path.", "name the whole disk below /dev, e.g. /dev/sda or /dev/nvme0n1.");
        CheckIpv4(s, "server_ip", pxe.ServerIp);
        if (pxe.RouteIp is { } route) CheckIpv4(s, "route_ip", route);
        var staticKeys = new (string Key, string? Value, string Example)[]
        {
            ("local_ip", pxe.LocalIp, "\"192.168.1.100\""), ("netmask", pxe.Netmask, "\"255.255.255.0\""),
            ("net_name", pxe.NetName, "\"eth0\""), ("route_ip", pxe.RouteIp, "\"192.168.1.1\""),
        };
        foreach (var (key, value, example) in staticKeys)
        {
            if (pxe.Dhcp && value is not null && key != "route_ip")
                s.Error(key, "is set although dhcp = true; DHCP assigns the address.", $"remove {s.KeyPath(key)} or set dhcp = false.");
            if (!pxe.Dhcp && value is null)
                s.Error(key, "is missing; with dhcp = false the installer configures the network from it.", $"add {key} = {example} to [pxe_config], or set dhcp = true.");
        }
        if (pxe.LocalIp is { } local) CheckIpv4(s, "local_ip", local);
        if (pxe.Netmask is { } mask && !IsNetmask(mask))
            s.Error("netmask", $"'{mask}' is not an IPv4 netmask.", "write the mask in dotted form, e.g. 255.255.255.0.");
        if (pxe.NetName is { } net && !InterfaceName().IsMatch(net))
            s.Error("net_name", $"'{net}' is not a network interface name.", "use the kernel's name of the NIC, e.g. eth0 (1-15 letters, digits, '.', '-', '_').");
        s.RejectUnknownKeys();
        return pxe;
    }

    private static void CheckIpv4(TomlSection s, string key, string value)
    {
        if (value.Length > 0 && !IsIpv4(value))
            s.Error(key, $"'{value}' is not an IPv4 address.", $"write {s.KeyPath(key)} as four dotted numbers, e.g. 192.168.1.50 (the installer speaks IPv4 only).");
    }

    internal static bool IsIpv4(string text) =>
        text.Split('.').Length == 4 && IPAddress.TryParse(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork;

    internal static bool IsNetmask(string text)
    {
        if (!IsIpv4(text)) return false;
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(text).GetAddressBytes());
        // A mask is ones followed by zeros: inverting it gives 2^n - 1.
        var inverted = ~bits;
        return bits != 0 && (inverted & (inverted + 1)) == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$")]
    private static partial Regex SafeWord();

    [GeneratedRegex("^/dev/[A-Za-z0-9._/-]+$")]
    private static partial Regex DevicePath();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,15}$")]
    private static partial Regex InterfaceName();
}
