using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

public class AssignmentTests
{
    [Fact]
    public void Upgrade_assignment_copies_configs_swaps_grub_current_and_next_and_names_the_owner()
    {
        var os = Fleet.Upgrade();
        os.Metadata!.Namespace = "fleet";
        os.Spec!.UpgradeConfigs = new SysConfigs { Version = "u1", Configs = [Fleet.Model(WellKnown.Models.KernelSysctl, ("vm.swappiness", "10"))] };
        os.Spec.SysConfigs = new SysConfigs
        {
            Version = "s1",
            Configs =
            [
                Fleet.Model(WellKnown.Models.GrubCmdlineCurrent, ("crashkernel", "512M")),
                Fleet.Model(WellKnown.Models.GrubCmdlineNext, ("audit", "1")),
            ],
        };

        var spec = Assert.Single(Fleet.Of(1).Decide(os).Assignments).Spec;

        Assert.Equal(WellKnown.NodeStatuses.Upgrade, spec.NodeStatus);
        Assert.Equal("os-upgrade", spec.NamespacedName!.Name);
        Assert.Equal("fleet", spec.NamespacedName.Namespace);
        Assert.Equal("u1", spec.UpgradeConfigs!.Version);
        Assert.Equal([WellKnown.Models.GrubCmdlineNext, WellKnown.Models.GrubCmdlineCurrent], spec.SysConfigs!.Configs!.Select(c => c.Model));
        // The OS object itself is untouched by the swap.
        Assert.Equal(WellKnown.Models.GrubCmdlineCurrent, os.Spec.SysConfigs.Configs![0].Model);
    }

    [Fact]
    public void Assigned_configs_are_deep_copies()
    {
        var os = Fleet.Upgrade();
        os.Spec!.UpgradeConfigs = new SysConfigs { Version = "u1", Configs = [Fleet.Model(WellKnown.Models.KernelSysctl, ("a", "1"))] };
        var spec = Fleet.Of(1).Decide(os).Assignments[0].Spec;

        os.Spec.UpgradeConfigs.Configs![0].Contents![0].Key = "changed";

        Assert.Equal("a", spec.UpgradeConfigs!.Configs![0].Contents![0].Key);
    }

    [Fact]
    public void Config_assignment_copies_sysconfigs_without_swapping_and_uses_the_configuring_label()
    {
        var os = Fleet.Config("KubeOS v1", "s2", 5, Fleet.Model(WellKnown.Models.GrubCmdlineCurrent, ("quiet", "")));
        var decision = Fleet.Of(2).Decide(os);

        Assert.Equal(2, decision.Assignments.Count);
        var a = decision.Assignments[0];
        Assert.Equal(WellKnown.Labels.Configuring, a.OperationLabel);
        Assert.Equal(WellKnown.NodeStatuses.Config, a.Spec.NodeStatus);
        Assert.Equal(WellKnown.Models.GrubCmdlineCurrent, a.Spec.SysConfigs!.Configs![0].Model);
    }

    [Fact]
    public void Config_is_assigned_only_where_the_assigned_version_differs()
    {
        var fleet = Fleet.Of(3);
        fleet.Instances["node-02"].Spec!.SysConfigs = new SysConfigs { Version = "s2" };
        var decision = fleet.Decide(Fleet.Config("KubeOS v1", "s2", 5));
        Assert.Equal(["node-01", "node-03"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Config_skips_nodes_on_another_OS_version_instead_of_leaving_them_stuck()
    {
        var fleet = Fleet.Of(2);
        fleet.Add("node-03", "KubeOS v0");
        var decision = fleet.Decide(Fleet.Config("KubeOS v1", "s2", 5));
        Assert.Equal(["node-01", "node-02"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(1, decision.Counts.Skipped);
    }

    [Fact]
    public void Cordoned_nodes_do_not_use_slots_of_a_config_operation()
    {
        var fleet = Fleet.Of(2).Set("node-01", n => n with { Unschedulable = true });
        Assert.Equal(2, fleet.Decide(Fleet.Config("KubeOS v1", "s2", 2)).Assignments.Count);
    }

    [Fact]
    public void Rollback_assigns_like_an_upgrade()
    {
        var os = Fleet.Upgrade(version: "KubeOS v0");
        os.Spec!.OpsType = WellKnown.OpsTypes.Rollback;
        var a = Assert.Single(Fleet.Of(1).Decide(os).Assignments);
        Assert.Equal(WellKnown.Labels.Upgrading, a.OperationLabel);
        Assert.Equal(WellKnown.NodeStatuses.Upgrade, a.Spec.NodeStatus);
    }
}
