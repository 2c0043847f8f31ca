using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Installation;

/// <summary>
/// Uninstall-KubeOSOperator through the engine against a sandbox: confirmation (ConfirmImpact High), -WhatIf, what it
/// deletes and what it keeps, checked with kubectl. Each test installs first.
/// </summary>
public sealed class UninstallKubeOSOperatorTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    // PromptForChoice answers of a ShouldProcess prompt: [Y] Yes [A] Yes to All [N] No [L] No to All.
    private const int YesToAll = 1;
    private const int NoToAll = 3;
    // ShouldContinue: [Y] Yes [N] No.
    private const int No = 1;

    private readonly PowerShellSession _ps = fixture.Session;

    private IReadOnlyList<string> Install()
    {
        _ps.Host.Answers.Clear();
        var result = _ps.Run("Install-KubeOSOperator");
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        return DeploymentProbe.ObjectsInManifestFiles(_ps);
    }

    private void AssertAllExist(IEnumerable<string> objects) =>
        Assert.Subset(DeploymentProbe.ExistingObjects(fixture.Kubectl).ToHashSet(), objects.ToHashSet());

    [Fact]
    public void Uninstall_prompts_and_a_declined_confirmation_deletes_nothing()
    {
        var objects = Install();
        var promptsBefore = _ps.Host.Prompts.Count;
        _ps.Host.Answers.Enqueue(NoToAll);

        var result = _ps.Run("Uninstall-KubeOSOperator");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal(promptsBefore + 1, _ps.Host.Prompts.Count);
        Assert.Contains("Performing the operation \"Delete\" on target \"DaemonSet upgrade-system/upgrade-proxy\"", _ps.Host.Prompts[^1]);
        Assert.DoesNotContain(result.Output, o => o.Properties["Action"].Value.ToString() == "Deleted");
        AssertAllExist(objects);
    }

    [Fact]
    public void Declining_the_extra_question_about_the_CRDs_deletes_nothing_and_names_what_would_go()
    {
        var objects = Install();
        _ps.Host.Answers.Enqueue(No);

        var result = _ps.Run("Uninstall-KubeOSOperator -IncludeCustomResourceDefinitions -Confirm:$false");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Empty(result.Output);
        Assert.Matches(@"also deletes every OS and OSInstance object in the cluster \(\d+ OS, \d+ OSInstance now\)", _ps.Host.Prompts[^1]);
        AssertAllExist(objects);
    }

    [Fact]
    public void WhatIf_lists_each_object_it_would_delete_and_deletes_nothing()
    {
        var objects = Install();

        var result = _ps.Run("Uninstall-KubeOSOperator -IncludeCustomResourceDefinitions -WhatIf");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        foreach (var o in objects.Where(o => !o.StartsWith("Namespace ")))
        {
            Assert.Contains($"What if: Performing the operation \"Delete\" on target \"{o}\".", result.HostText);
        }
        // The sandbox's own namespace was not created by the install, so it would be kept, not deleted.
        Assert.DoesNotContain("on target \"Namespace upgrade-system\"", result.HostText);
        Assert.Equal(["Namespace upgrade-system"], result.Output.Select(o => o.ToString()));
        AssertAllExist(objects);
    }

    [Fact]
    public void Confirmed_uninstall_removes_what_install_made_keeps_the_CRDs_and_a_second_run_finds_nothing()
    {
        var objects = Install();
        _ps.Host.Answers.Enqueue(YesToAll);

        var result = _ps.Run("Uninstall-KubeOSOperator");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        var actions = result.Output.ToDictionary(o => o.ToString(), o => o.Properties["Action"].Value.ToString());
        Assert.Equal("Kept", actions["Namespace upgrade-system"]);
        Assert.DoesNotContain(actions.Keys, k => k.StartsWith("CustomResourceDefinition"));
        var removable = objects.Where(o => !o.StartsWith("Namespace ") && !o.StartsWith("CustomResourceDefinition ")).ToList();
        Assert.All(removable, o => Assert.Equal("Deleted", actions[o]));
        Assert.Equal("DaemonSet", result.Output[0].Properties["Kind"].Value);
        var left = DeploymentProbe.ExistingObjects(fixture.Kubectl);
        Assert.All(removable, o => Assert.DoesNotContain(o, left));
        AssertAllExist(objects.Where(o => o.StartsWith("CustomResourceDefinition ") || o.StartsWith("Namespace ")));

        var again = _ps.Run("Uninstall-KubeOSOperator -Confirm:$false");
        Assert.All(again.Output.Where(o => o.ToString() != "Namespace upgrade-system"), o => Assert.Equal("NotFound", o.Properties["Action"].Value.ToString()));
    }

    [Fact]
    public void IncludeCustomResourceDefinitions_with_Force_deletes_the_CRDs_and_the_OS_objects_with_them()
    {
        Install();
        var os = File.ReadAllText(Path.Combine(RepoPaths.Samples, "good", "upgrade-containerd.yaml"));
        fixture.Kubectl.Run("apply -f -", os).Succeeded();

        var result = _ps.Run("Uninstall-KubeOSOperator -IncludeCustomResourceDefinitions -Force -Confirm:$false");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal("CustomResourceDefinition", result.Output[^1].Properties["Kind"].Value);
        Assert.False(DeploymentProbe.Exists(fixture.Kubectl, "CustomResourceDefinition os.upgrade.openeuler.org"));
        Assert.False(DeploymentProbe.Exists(fixture.Kubectl, "CustomResourceDefinition osinstances.upgrade.openeuler.org"));

        // Installing again brings the definitions back.
        var reinstall = _ps.Run("Install-KubeOSOperator");
        Assert.Empty(reinstall.Errors);
        Assert.Equal("Created", reinstall.Output.Single(o => o.ToString() == "CustomResourceDefinition os.upgrade.openeuler.org").Properties["Action"].Value.ToString());
        Assert.Equal("", fixture.Kubectl.Run("get os -A -o name").Succeeded().StdOut.Trim());
    }
}
