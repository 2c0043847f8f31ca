using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;
using static KubeOS.PowerShell.Tests.Rollouts.RolloutTestScripts;

namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>
/// The rollout cmdlets through the engine against a sandbox running KubeOS's operator, proxies and simulated agents.
/// The tests share the sandbox and run one at a time; each leaves every worker idle on one version.
/// </summary>
public sealed class RolloutCmdletTests(KubeOSSandboxFixture fixture) : IClassFixture<KubeOSSandboxFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void The_default_sandbox_runs_the_operator_and_a_proxy_per_node_which_created_the_OSInstances()
    {
        var pods = fixture.Json("get pods -n upgrade-system")["items"]!.AsArray();
        var running = pods.Where(p => (string?)p!["status"]!["phase"] == "Running")
            .Select(p => (string)p!["metadata"]!["labels"]!["control-plane"]!).ToList();
        Assert.Contains("upgrade-operator", running);
        Assert.Equal(KubeOSSandboxFixture.NodeCount, running.Count(r => r == "upgrade-proxy"));
        Assert.Equal(["node-0", "node-1", "node-2"], fixture.InstanceNames().Order());
    }

    [Fact]
    public void Upgrade_with_Wait_ends_with_every_worker_on_the_version_and_shows_progress_per_rollout_and_node()
    {
        var version = NewVersion();
        var before = fixture.OsImages();

        var result = _ps.Run(Upgrade(version, "-Wait -PassThru -Timeout 90 -Verbose"));

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var rollout = Assert.Single(result.Rollouts());
        Assert.Equal(("kubeos", "upgrade", version, RolloutStatesForTests.Complete, 2, 2), (rollout.Name, rollout.OpsType, rollout.Version, rollout.State, rollout.Selected, rollout.Done));
        // The message agrees with the state read from the nodes, even when the operator's status text is a pass old.
        Assert.Equal("2 of 2 selected node(s) done, 0 in operation, 0 pending", rollout.Message);
        var after = fixture.OsImages();
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(version, after[w]));
        Assert.Equal(before["node-0"], after["node-0"]);

        Assert.Contains(result.Verbose, v => v.Message.StartsWith("PATCH /apis/upgrade.openeuler.org/v1alpha1/namespaces/default/os/kubeos", StringComparison.Ordinal)
                                          || v.Message.StartsWith("POST /apis/upgrade.openeuler.org/v1alpha1/namespaces/default/os", StringComparison.Ordinal));

        var parent = result.Progress.Where(p => p.ParentActivityId == -1 && p.Activity.Contains(version)).ToList();
        Assert.NotEmpty(parent);
        Assert.Contains(parent, p => p.RecordType == ProgressRecordType.Completed);
        var perNode = result.Progress.Where(p => p.ParentActivityId == parent[0].ActivityId).ToList();
        Assert.Contains(perNode, p => p.Activity == "Node node-1" && p.RecordType == ProgressRecordType.Processing);
        Assert.Contains(perNode, p => p.Activity == "Node node-2" && p.RecordType == ProgressRecordType.Processing);
    }

    [Fact]
    public void AsJob_returns_a_job_whose_output_is_the_final_state()
    {
        var version = NewVersion();
        var result = _ps.Run($"$job = {Upgrade(version, "-AsJob")}; $job.PSJobTypeName; $job | Wait-Job -Timeout 90 | Out-Null; $job.State.ToString(); $job | Receive-Job");

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal(["KubeOSRolloutJob", "Completed"], result.Output.Take(2).Select(o => o.ToString()));
        var rollout = Assert.Single(result.Rollouts());
        Assert.Equal((version, RolloutStatesForTests.Complete), (rollout.Version, rollout.State));
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(version, fixture.OsImages()[w]));

        var both = _ps.Catch(Upgrade(NewVersion(), "-Name both -Wait -AsJob"));
        Assert.Equal("ParameterConflict,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", both!.FullyQualifiedErrorId);
        Assert.Null(fixture.OS("both"));
    }

    [Fact]
    public void PreStage_stages_every_worker_before_the_upgrade_and_Get_KubeOSNode_shows_it()
    {
        var version = NewVersion();
        var result = _ps.Run(Upgrade(version, "-PreStage -PreStageConcurrency 1 -MaxFailures 1 -OnFailureBudget Halt -Wait -Timeout 90"));

        var os = fixture.Json("get os -n default")["items"]!.AsArray().Single(o => (string?)o!["spec"]!["osversion"] == version)!;
        try
        {
            Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
            AssertStaged(os["spec"]!, version);
        }
        finally
        {
            // Later upgrades in this cluster reuse the OS object's rollout rules: leave them as they were.
            fixture.Kubectl.Run($"patch os {os["metadata"]!["name"]} -n default --type=json -p " +
                """[{"op":"remove","path":"/spec/prestage"},{"op":"remove","path":"/spec/maxfailures"},{"op":"remove","path":"/spec/onfailurebudget"}]""").Succeeded();
        }
    }

    private void AssertStaged(System.Text.Json.Nodes.JsonNode spec, string version)
    {
        Assert.Equal(true, (bool?)spec["prestage"]!["enabled"]);
        Assert.Equal(1, (int?)spec["prestage"]!["maxconcurrent"]);
        Assert.Equal("halt", (string?)spec["onfailurebudget"]);
        var nodes = _ps.Run("Get-KubeOSNode -Name " + string.Join(",", KubeOSSandboxFixture.Workers)).Output;
        Assert.All(nodes, n => Assert.Equal($"Staged {version}", n.Properties["PreStage"].Value));
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(version, fixture.OsImages()[w]));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var result = _ps.Run(Upgrade(NewVersion(), "-Name whatif-upgrade -WhatIf") + "; Set-KubeOSConfig -Name whatif-config -Sysctl @{ 'vm.swappiness' = '5' } -WhatIf");

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Contains("What if: Performing the operation \"Create OS object to upgrade to", result.HostText);
        Assert.Contains("on target \"default/whatif-config (nodeselector no-label)\"", result.HostText);
        Assert.Null(fixture.OS("whatif-upgrade"));
        Assert.Null(fixture.OS("whatif-config"));
    }

    [Fact]
    public void Rollback_returns_the_workers_to_the_version_they_ran_before_the_upgrade()
    {
        var start = fixture.OsImages()["node-1"];
        var version = NewVersion();
        Assert.Empty(_ps.Run(Upgrade(version, "-Wait -Timeout 90")).Errors);
        Assert.Equal(version, fixture.OsImages()["node-1"]);

        var result = _ps.Run("Invoke-KubeOSRollback -Confirm:$false -Wait -PassThru -Timeout 90");

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var rollout = Assert.Single(result.Rollouts());
        Assert.Equal(("rollback", start, RolloutStatesForTests.Complete), (rollout.OpsType, rollout.Version, rollout.State));
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(start, fixture.OsImages()[w]));
    }

    [Fact]
    public void A_declined_rollback_confirmation_changes_nothing()
    {
        Assert.Empty(_ps.Run(Upgrade(fixture.OsImages()["node-1"], "-Wait -Timeout 60")).Errors);
        var before = fixture.OS("kubeos")!;

        _ps.Host.Answers.Enqueue(2); // No
        var result = _ps.Run("Invoke-KubeOSRollback -Version 'KubeOS v0'");
        _ps.Host.Answers.Enqueue(2);
        var piped = _ps.Run("Get-KubeOSNode -Name node-2 | Invoke-KubeOSRollback -Version 'KubeOS v0' -Group declined");

        Assert.True(result.Errors.Count == 0 && piped.Errors.Count == 0, result.ToString() + piped);
        Assert.Contains(_ps.Host.Prompts, p => p.Contains("Roll back to KubeOS v0"));
        var after = fixture.OS("kubeos")!;
        Assert.Equal((string?)before["metadata"]!["resourceVersion"], (string?)after["metadata"]!["resourceVersion"]);
        Assert.Equal("upgrade", (string?)after["spec"]!["opstype"]);
        Assert.Null(fixture.OS("kubeos-declined"));
        Assert.Null(fixture.Json("get node node-2")["metadata"]!["labels"]!["upgrade.openeuler.org/node-selector"]);
    }

    [Fact]
    public void Nodes_piped_from_Get_KubeOSNode_get_a_group_label_and_an_OS_object_selecting_that_group()
    {
        try
        {
            // The version node-1 runs: the object is written and selects node-1, but no node needs an operation, so
            // removing the group afterwards cannot strand one mid-operation.
            var current = fixture.OsImages()["node-1"];
            var result = _ps.Run("Get-KubeOSNode -Name node-1 | Invoke-KubeOSRollback -Group canary -Version $Version -TimeInterval 0 -Confirm:$false -PassThru -Verbose",
                new() { ["Version"] = current });

            Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
            var rollout = Assert.Single(result.Rollouts());
            Assert.Equal(("kubeos-canary", "canary", "rollback", 1), (rollout.Name, rollout.NodeSelector, rollout.OpsType, rollout.Selected));
            Assert.Equal("node-1", Assert.Single(rollout.NodeNames));
            Assert.Equal("canary", (string?)fixture.Json("get node node-1")["metadata"]!["labels"]!["upgrade.openeuler.org/node-selector"]);
            Assert.Null(fixture.Json("get node node-2")["metadata"]!["labels"]!["upgrade.openeuler.org/node-selector"]);
            Assert.Equal("canary", (string?)fixture.OS("kubeos-canary")!["spec"]!["nodeselector"]);
            Assert.Contains(result.Verbose, v => v.Message.StartsWith("PATCH /api/v1/nodes/node-1", StringComparison.Ordinal));
        }
        finally
        {
            // Give node-1 back to the default group before the operator acts on the canary object.
            fixture.Kubectl.Run("delete os kubeos-canary -n default --ignore-not-found").Succeeded();
            fixture.Kubectl.Run("label node node-1 upgrade.openeuler.org/node-selector-").Succeeded();
        }
    }

    [Fact]
    public void Bad_input_gives_stable_error_ids_naming_the_parameter_and_writes_nothing()
    {
        var invalid = _ps.Catch("Start-KubeOSUpgrade -Name bad-upgrade -Version 'KubeOS v9' -ImageUrl http://images.example/v9.tar -Checksum xyz");
        Assert.NotNull(invalid);
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", invalid.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, invalid.CategoryInfo.Category);
        Assert.Contains("Change -Checksum", invalid.Exception.Message);
        Assert.Contains("Change -ImageUrl", invalid.Exception.Message);
        Assert.Contains("flagSafe", invalid.Exception.Message);
        Assert.Contains("(see -FlagSafe)", invalid.Exception.Message);
        Assert.Null(fixture.OS("bad-upgrade"));

        var gate = _ps.Catch("Start-KubeOSUpgrade -Name bad-gate -Version 'KubeOS v9' -ImageUrl https://images.example/v9.tar -Checksum " + Checksum +
            " -HealthGateUrl ftp://node/healthz -PreStageBandwidthLimit lots");
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", gate!.FullyQualifiedErrorId);
        Assert.Contains("Change -HealthGateUrl", gate.Exception.Message);
        Assert.Contains("Change -PreStageBandwidthLimit", gate.Exception.Message);
        Assert.Null(fixture.OS("bad-gate"));

        var cert = _ps.Catch("Start-KubeOSUpgrade -Name bad-cert -Version 'KubeOS v9' -ImageUrl https://images.example/v9.tar -Checksum " + Checksum + " -CaCertPath /tmp/ca.pem");
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", cert!.FullyQualifiedErrorId);
        Assert.Contains("-CaCertPath", cert.Exception.Message);

        var empty = _ps.Catch("Set-KubeOSConfig -Name no-settings");
        Assert.Equal("NoSettingsGiven,KubeOS.PowerShell.Rollouts.SetKubeOSConfigCommand", empty!.FullyQualifiedErrorId);
        Assert.Null(fixture.OS("no-settings"));

        var badLimit = _ps.Catch("Set-KubeOSConfig -Name bad-limit -PamLimit @{ '*' = 'nofile' }");
        Assert.Equal("InvalidRolloutParameter,KubeOS.PowerShell.Rollouts.SetKubeOSConfigCommand", badLimit!.FullyQualifiedErrorId);
        Assert.Contains("Change -PamLimit", badLimit.Exception.Message);
        Assert.Null(fixture.OS("bad-limit"));

        var noNodes = _ps.Catch("Set-KubeOSConfig -Name no-nodes -NodeSelector empty-group -Sysctl @{ 'vm.swappiness' = '1' }");
        Assert.Equal("TargetVersionUnknown,KubeOS.PowerShell.Rollouts.SetKubeOSConfigCommand", noNodes!.FullyQualifiedErrorId);
        Assert.Contains("No node is selected by nodeselector 'empty-group'", noNodes.Exception.Message);

        var controlPlane = _ps.Run("Invoke-KubeOSRollback -NodeName node-0 -Version 'KubeOS v0' -Confirm:$false");
        var error = Assert.Single(controlPlane.Errors);
        Assert.Equal("NodeNotSelectable,KubeOS.PowerShell.Rollouts.InvokeKubeOSRollbackCommand", error.FullyQualifiedErrorId);
        Assert.Equal("node-0", error.TargetObject);

        var missing = _ps.Run("Get-KubeOSUpgrade -Name no-such-os");
        Assert.Equal(["UpgradeNotFound,KubeOS.PowerShell.Rollouts.GetKubeOSUpgradeCommand"], missing.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void A_wait_that_runs_out_of_time_names_the_nodes_not_done()
    {
        var version = NewVersion();
        var result = _ps.Run(Upgrade(version, "-Wait -Timeout 1 -PassThru"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("UpgradeTimedOut,KubeOS.PowerShell.Rollouts.StartKubeOSUpgradeCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("node-1", error.Exception.Message);
        Assert.Contains("node-2", error.Exception.Message);
        var state = Assert.Single(result.Rollouts());
        Assert.NotEqual(RolloutStatesForTests.Complete, state.State);

        var finished = _ps.Run("Get-KubeOSUpgrade kubeos | Wait-KubeOSUpgrade -Timeout 90");
        Assert.True(finished.Errors.Count == 0, finished.ToString());
        Assert.Equal(RolloutStatesForTests.Complete, Assert.Single(finished.Rollouts()).State);
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(version, fixture.OsImages()[w]));
    }

    [Fact]
    public void Set_KubeOSConfig_writes_sysconfigs_the_agents_apply_and_the_rollout_completes()
    {
        var result = _ps.Run("""
            Set-KubeOSConfig -Sysctl @{ 'vm.swappiness' = '7' } `
                -SysctlPersist @{ 'net.ipv4.ip_forward' = @{ operation = 'delete'; value = '1' } } `
                -KubeletConfig @{ 'maxPods' = 120 } -MaxUnavailable 2 -TimeInterval 0 -Wait -PassThru -Timeout 60
            """);

        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var rollout = Assert.Single(result.Rollouts());
        Assert.Equal(("config", RolloutStatesForTests.Complete, 2), (rollout.OpsType, rollout.State, rollout.Done));
        Assert.StartsWith("c-", rollout.SysConfigVersion);

        var configs = fixture.OS("kubeos")!["spec"]!["sysconfigs"]!["configs"]!.AsArray();
        Assert.Equal(["kernel.sysctl", "kernel.sysctl.persist", "kubernetes.kubelet"], configs.Select(c => (string)c!["model"]!));
        Assert.Equal("delete", (string?)configs[1]!["contents"]![0]!["operation"]);
        foreach (var worker in KubeOSSandboxFixture.Workers)
        {
            var osi = fixture.Json($"get osinstance {worker} -n default");
            Assert.Equal(rollout.SysConfigVersion, (string?)osi["status"]!["sysconfigs"]!["version"]);
            Assert.Equal("idle", (string?)osi["spec"]!["nodestatus"]);
            var sysctl = (string?)fixture.Json($"get node {worker}")["metadata"]!["annotations"]!["sandbox.kubeos.io/sysctl"];
            Assert.Contains("\"vm.swappiness\":\"7\"", sysctl);
        }

        // The same settings again keep their derived version: nothing to apply, complete at once.
        var again = _ps.Run("Set-KubeOSConfig -Sysctl @{ 'vm.swappiness' = '7' } -SysctlPersist @{ 'net.ipv4.ip_forward' = @{ operation = 'delete'; value = '1' } } -KubeletConfig @{ 'maxPods' = 120 } -PassThru");
        Assert.Equal(rollout.SysConfigVersion, Assert.Single(again.Rollouts()).SysConfigVersion);
    }

    [Fact]
    public void Suspend_stops_new_assignments_and_Resume_lets_the_rollout_finish()
    {
        var version = NewVersion();
        var started = _ps.Run(Upgrade(version, "-PassThru").Replace("-MaxUnavailable 2", "-MaxUnavailable 1") + " | Suspend-KubeOSUpgrade -PassThru");
        Assert.True(started.Errors.Count == 0 && started.Terminating is null, started.ToString());
        Assert.True(Assert.Single(started.Rollouts()).Paused);
        Assert.Equal(true, (bool?)fixture.OS("kubeos")!["spec"]!["paused"]);

        // At most the node assigned before the pause runs; once it is done the other stays pending. The first look
        // waits a moment, so an assignment the operator decided before it saw the pause is already visible.
        Thread.Sleep(1000);
        RolloutView state = null!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            Thread.Sleep(300);
            state = _ps.Run("Get-KubeOSUpgrade kubeos").Rollouts().Single();
        }
        while (state.InOperation > 0 && DateTime.UtcNow < deadline);
        Assert.Equal((0, RolloutStatesForTests.Paused), (state.InOperation, state.State));
        Assert.True(state.Pending >= 1, $"{state.Pending} pending");
        Thread.Sleep(1500);
        var stillPaused = _ps.Run("Get-KubeOSUpgrade kubeos").Rollouts().Single();
        Assert.Equal((state.Pending, 0), (stillPaused.Pending, stillPaused.InOperation));

        var resumed = _ps.Run("Resume-KubeOSUpgrade kubeos; Wait-KubeOSUpgrade kubeos -Timeout 90");
        Assert.True(resumed.Errors.Count == 0, resumed.ToString());
        Assert.Equal(RolloutStatesForTests.Complete, Assert.Single(resumed.Rollouts()).State);
        Assert.Equal(false, (bool?)fixture.OS("kubeos")!["spec"]!["paused"]);
        Assert.All(KubeOSSandboxFixture.Workers, w => Assert.Equal(version, fixture.OsImages()[w]));
    }

    [Fact]
    public void Get_KubeOSUpgrade_shows_a_table_and_versions_complete_from_nodes_and_OS_objects()
    {
        var current = fixture.OsImages()["node-1"];
        Assert.Empty(_ps.Run(Upgrade(current, "-Wait -Timeout 60")).Errors);

        var text = _ps.Render("Get-KubeOSUpgrade");
        Assert.Matches(@"Name\s+OpsType\s+Version\s+NodeSelector\s+State\s+Done", text);
        Assert.Matches(@"kubeos\s+upgrade\s+" + System.Text.RegularExpressions.Regex.Escape(current) + @"\s+no-label\s+Complete\s+2/2", text);

        var completions = _ps.Run("""
            $line = "Start-KubeOSUpgrade -Version KubeOS"
            [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches | ForEach-Object CompletionText
            """);
        Assert.Contains($"'{current}'", completions.Output.Select(o => o.ToString()));
        Assert.Contains("'KubeOS v1'", completions.Output.Select(o => o.ToString()));
    }
}

/// <summary>The state names the tests compare with (the module's own constants, spelled out so a rename fails here).</summary>
internal static class RolloutStatesForTests
{
    public const string Complete = "Complete";
    public const string Paused = "Paused";
}
