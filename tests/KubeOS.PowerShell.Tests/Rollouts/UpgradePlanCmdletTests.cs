using KubeOS.PowerShell.Tests.Hosting;
using static KubeOS.PowerShell.Tests.Rollouts.RolloutTestScripts;

namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>
/// Plans before acting and history after: Start-KubeOSUpgrade -WhatIf prints the plan and writes nothing,
/// Get-KubeOSUpgradePlan returns typed batches, Get-KubeOSUpgrade shows progress against the plan and per-node history.
/// Its own sandbox, since it leaves a budget and objects behind between steps.
/// </summary>
public sealed class UpgradePlanCmdletTests(KubeOSSandboxFixture fixture) : IClassFixture<KubeOSSandboxFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void WhatIf_prints_batches_nodes_blocking_budgets_and_eta_and_writes_nothing()
    {
        fixture.Kubectl.Run("create -f -", """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "held", "namespace": "default", "labels": {"guard": "yes"}},
             "spec": {"nodeName": "node-2", "containers": [{"name": "app", "image": "registry.example/app:1"}]}}
            """).Succeeded();
        fixture.Kubectl.Run("create -f -", """
            {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "guard", "namespace": "default"},
             "spec": {"minAvailable": 1, "selector": {"matchLabels": {"guard": "yes"}}}}
            """).Succeeded();
        try
        {
            WaitUntil(() => (int?)fixture.Json("get pdb guard")["status"]?["currentHealthy"] == 1, "the budget counts the held pod");
            var result = _ps.Run(Upgrade(NewVersion(), "-Name plan-whatif -Stage 1 -StageBake 60 -WhatIf").Replace("-MaxUnavailable 2", "-MaxUnavailable '50%'"));

            Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
            Assert.Contains("What if: Performing the operation \"Create OS object to upgrade to", result.HostText);
            Assert.Contains("Plan for OS default/plan-whatif: upgrade to KubeOS v", result.HostText);
            Assert.Contains("maxunavailable 1; 2 selected: 0 done, 0 in operation, 2 pending", result.HostText);
            Assert.Contains("Batch 1 [canary (1 node)] at +0s: node-1", result.HostText);
            // Other tests of the class may have finished rollouts first, so the per-node time is the default or measured.
            Assert.Matches(@"Batch 2 \[stage 2 of 2 \(1 node\)\] at \+\S+ after a bake of 1m0s: node-2", result.HostText);
            Assert.Contains("Blocking now: PodDisruptionBudget default/guard (disruptionsAllowed 0) holds default/held on node-2", result.HostText);
            Assert.Matches(@"ETA \S+ \(finishes about .*\), (5m0s per node by default \(no node measured yet\)|\S+ per node measured on nodes already done)", result.HostText);
            Assert.Null(fixture.OS("plan-whatif"));
        }
        finally
        {
            fixture.Kubectl.Run("delete pdb guard");
            fixture.Kubectl.Run("delete pod held");
        }
    }

    [Fact]
    public void Plan_objects_progress_against_the_plan_and_history_after_a_staged_rollout()
    {
        var version = NewVersion();
        var closedDay = DateTime.UtcNow.AddDays(2).DayOfWeek.ToString()[..3];
        // A window on another day (not even tomorrow, should the test cross midnight): the operator plans but starts nothing.
        var held = _ps.Run(Upgrade(version, $"-Name planned -Weekday {closedDay} -TimeZone UTC -PassThru").Replace("-MaxUnavailable 2", "-MaxUnavailable 1"));
        Assert.True(held.Errors.Count == 0 && held.Terminating is null, held.ToString());
        WaitUntil(() => fixture.OS("planned")?["status"]?["plan"] is not null, "the operator wrote its plan");

        var plan = _ps.Run("""
            $p = Get-KubeOSUpgradePlan planned
            $p.GetType().Name
            "$($p.Batches.Count) $($p.Pending) $($p.Measured) $([int]$p.Eta.TotalMinutes)"
            $p.Batches | ForEach-Object { "$($_.GetType().Name) $($_.Number) $($_.Stage) $($_.Nodes -join ',') $([int]$_.StartsAfter.TotalMinutes)" }
            (Get-KubeOSUpgrade planned | Get-KubeOSUpgradePlan).Name
            $u = Get-KubeOSUpgrade planned
            "$($u.State) $($u.PlannedBatches) $($u.NextBatch -join ',') $($u.Eta)"
            """);
        Assert.True(plan.Errors.Count == 0 && plan.Terminating is null, plan.ToString());
        var lines = plan.Output.Select(o => o.ToString()).ToList();
        Assert.Equal("KubeOSUpgradePlan", lines[0]);
        Assert.Equal("2 2 False 10", lines[1]);
        Assert.Equal("KubeOSUpgradeBatch 1 all (2 nodes) node-1 0", lines[2]);
        Assert.Equal("KubeOSUpgradeBatch 2 all (2 nodes) node-2 5", lines[3]);
        Assert.Equal("planned", lines[4]);
        Assert.Equal("Blocked 2 node-1 10m", lines[5]);
        var view = _ps.Render("Get-KubeOSUpgradePlan planned");
        Assert.Contains("NextBatch", view); // the default view's columns
        Assert.Contains("BlockingBudgets", view);
        Assert.Contains("300s (default)", view);

        // Today listed: it runs; afterwards each node has its history and the plan is measured.
        var ran = _ps.Run(Upgrade(version, "-Name planned -Weekday Mon,Tue,Wed,Thu,Fri,Sat,Sun -Wait -Timeout 90 -PassThru"));
        Assert.True(ran.Errors.Count == 0 && ran.Terminating is null, ran.ToString());
        var after = _ps.Run("""
            Get-KubeOSUpgrade planned -History | ForEach-Object {
                "$($_.GetType().Name) $($_.Node) $($_.ToVersion) $($_.Result) $($_.PhaseDurations.ContainsKey('Rebooting')) $($null -ne $_.Duration)"
            }
            $p = Get-KubeOSUpgradePlan planned
            "$($p.Batches.Count) $($p.Measured) $($p.PerNode -gt [TimeSpan]::Zero)"
            """);
        Assert.True(after.Errors.Count == 0 && after.Terminating is null, after.ToString());
        var text = after.Output.Select(o => o.ToString()).ToList();
        Assert.Equal($"KubeOSNodeHistory node-1 {version} Succeeded True True", text[0]);
        Assert.Equal($"KubeOSNodeHistory node-2 {version} Succeeded True True", text[1]);
        Assert.Equal("0 True True", text[2]);
        var history = _ps.Render("Get-KubeOSUpgrade planned -History");
        Assert.Contains("Phases", history);
        Assert.Contains("Rebooting", history);
        fixture.Kubectl.Run("delete os planned");
    }

    [Fact]
    public void Shape_and_drain_parameters_become_spec_fields_and_bad_values_name_the_parameter()
    {
        // Two days ahead in UTC is not today in Berlin either, so the window stays shut and no node is touched.
        var closedDay = DateTime.UtcNow.AddDays(2).DayOfWeek.ToString()[..3];
        var written = _ps.Run(Upgrade(NewVersion(),
            $"-Name shaped -TopologyKey topology.kubernetes.io/zone -MaxUnavailablePerTopology '50%' -Stage @{{ nodes = 1; bake = 30 }}, '10%' -StageBake 5 " +
            $"-Weekday {closedDay} -TimeZone Europe/Berlin -EmptyDirPods evict -UnmanagedPods block -DrainWarnAfter 60 -DrainFailAfter 600 -DrainTimeoutAction skip")
            .Replace("-MaxUnavailable 2", "-MaxUnavailable '25%'"));
        try
        {
            Assert.True(written.Errors.Count == 0 && written.Terminating is null, written.ToString());
            var spec = fixture.OS("shaped")!["spec"]!;
            Assert.Equal("25%", (string?)spec["maxunavailable"]);
            Same("""{"key":"topology.kubernetes.io/zone","maxunavailable":"50%"}""", spec["topologylimit"]);
            Same("""[{"nodes":1,"bake":30},{"percent":"10%","bake":5}]""", spec["stages"]);
            Same($$"""{"starttime":"00:00:00","endtime":"23:59:59","weekdays":["{{closedDay}}"],"timezone":"Europe/Berlin"}""", spec["timewindow"]);
            Same("""{"emptydirpods":"evict","unmanagedpods":"block","escalation":{"warnafter":60,"failafter":600,"action":"skip"}}""", spec["drain"]);
        }
        finally
        {
            fixture.Kubectl.Run("delete os shaped");
        }

        var bad = _ps.Catch(Upgrade(NewVersion(), "-Name bad-shape").Replace("-MaxUnavailable 2", "-MaxUnavailable lots"));
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", bad!.FullyQualifiedErrorId);
        Assert.Contains("-MaxUnavailable: 'lots' is neither a number of nodes nor a percentage", bad.Exception.Message);
        var zero = _ps.Catch(Upgrade(NewVersion(), "-Name bad-shape -Stage 1 -MaxUnavailablePerTopology '0%' -TopologyKey zone"));
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", zero!.FullyQualifiedErrorId);
        Assert.Contains("spec.topologylimit.maxunavailable", zero.Exception.Message);
        Assert.Contains("-MaxUnavailablePerTopology", zero.Exception.Message);
        Assert.Null(fixture.OS("bad-shape"));
    }

    private static void Same(string expected, System.Text.Json.Nodes.JsonNode? actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            Thread.Sleep(200);
        }
    }
}
