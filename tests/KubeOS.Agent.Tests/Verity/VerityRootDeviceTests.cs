using KubeOS.Agent.Disk;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.Tests.Verity;

/// <summary>A dm-verity root mounted from /dev/mapper/root is traced back to its ROOT partition through sysfs.</summary>
public sealed class VerityRootDeviceTests : IDisposable
{
    private readonly string _sys = Path.Combine(Path.GetTempPath(), "kubeos-sysblock-" + Guid.NewGuid().ToString("n")[..8]);

    public void Dispose() => Directory.Delete(_sys, recursive: true);

    private void Partition(string name, int number)
    {
        Directory.CreateDirectory(Path.Combine(_sys, name));
        File.WriteAllText(Path.Combine(_sys, name, "partition"), number + "\n");
    }

    [Fact]
    public void MapperDevice_ResolvesToTheRootPartitionAmongItsSlaves_NotTheHashPartition()
    {
        Partition("vda3", 3);
        Partition("vda7", 7);
        Directory.CreateDirectory(Path.Combine(_sys, "dm-0", "slaves"));
        Directory.CreateSymbolicLink(Path.Combine(_sys, "dm-0", "slaves", "vda7"), Path.Combine(_sys, "vda7"));
        Directory.CreateSymbolicLink(Path.Combine(_sys, "dm-0", "slaves", "vda3"), Path.Combine(_sys, "vda3"));
        var devices = new BlockDevices(new NodeSystem { SysClassBlock = _sys });

        Assert.Equal("/dev/vda3", devices.RootPartitionUnder("/dev/dm-0"));
    }

    [Fact]
    public void PlainPartition_IsNotStacked()
    {
        Partition("vda2", 2);
        var devices = new BlockDevices(new NodeSystem { SysClassBlock = _sys });

        Assert.Null(devices.RootPartitionUnder("/dev/vda2"));
    }
}
