using KubeOS.Api.Agent;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Sandbox.Tests;

/// <summary>The A/B and GRUB-entry rules of a simulated node's disk, without a cluster.</summary>
public sealed class SimulatedDiskTests
{
    private static StagedImage Staged(string version) => new() { Version = version, Partition = "B" };

    [Fact]
    public void A_trial_boot_runs_the_armed_entry_once_and_the_next_reboot_returns_to_saved_entry_unless_confirmed()
    {
        var disk = new SimulatedDisk("KubeOS v1");
        disk.WriteStandby("KubeOS v2", Staged("KubeOS v2"));
        disk.ArmTrialBoot();
        Assert.Equal(("B", (StagedImage?)null), (disk.NextEntry, disk.Staged));

        Assert.Equal("B", disk.Boot(trialFails: false));
        Assert.Equal(("B", "A", ""), (disk.Active, disk.SavedEntry, disk.NextEntry));
        Assert.True(disk.Status("t").BootPendingConfirmation);

        // Not confirmed: a plain reboot boots saved_entry again, as GRUB's fallback does.
        Assert.Equal("A", disk.Boot(trialFails: false));
        Assert.Equal("A", disk.Active);
    }

    [Fact]
    public void A_failed_trial_boot_falls_back_to_saved_entry_and_confirm_moves_saved_entry_to_the_running_root()
    {
        var disk = new SimulatedDisk("KubeOS v1");
        disk.WriteStandby("KubeOS v2", Staged("KubeOS v2"));
        disk.ArmTrialBoot();
        Assert.Equal("B", disk.Boot(trialFails: true));
        Assert.Equal(("A", "KubeOS v1"), (disk.Active, disk.VersionOf(disk.Active)));
        Assert.False(disk.ConfirmBoot());

        disk.ArmTrialBoot();
        disk.Boot(trialFails: false);
        Assert.True(disk.ConfirmBoot());
        var status = disk.Status("t");
        Assert.Equal(("B", "B", "KubeOS v2", "KubeOS v1", false), (status.Active.Name, status.SavedEntry, status.Active.Version, status.Inactive.Version, status.BootPendingConfirmation));
    }

    [Fact]
    public async Task A_socket_directory_too_long_for_a_unix_socket_is_refused_with_the_option_named()
    {
        var dir = Path.Combine(Path.GetTempPath(), new string('d', 120));
        using var longFactory = new SimulatedAgentFactory(new SimulatedAgentOptions { SocketDirectory = dir });
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => longFactory.StartAsync("node-0", null!, TestContext.Current.CancellationToken));
            Assert.Contains("--agent-socket-dir", error.Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
