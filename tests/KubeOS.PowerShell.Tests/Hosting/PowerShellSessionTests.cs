using System.Management.Automation;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>The harness itself: later cmdlet tests rely on it to see -WhatIf text, answer prompts and collect streams.</summary>
public sealed class PowerShellSessionTests
{
    [Fact]
    public void WhatIf_text_is_captured_from_the_host_and_nothing_changes()
    {
        using var ps = new PowerShellSession();

        var result = ps.Run("Remove-Module KubeOS -WhatIf; (Get-Module KubeOS).Name");

        Assert.Contains("What if: Performing the operation \"Remove-Module\" on target \"KubeOS", result.HostText);
        Assert.Equal("KubeOS", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void Confirm_prompts_take_their_answers_from_the_queue()
    {
        using var ps = new PowerShellSession();
        ps.Host.Answers.Enqueue(2); // ShouldProcess offers Yes, Yes to All, No, No to All, Suspend

        var declined = ps.Run("Remove-Module KubeOS -Confirm; (Get-Module KubeOS).Name");

        Assert.Contains(ps.Host.Prompts, p => p.StartsWith("Confirm"));
        Assert.Equal("KubeOS", Assert.Single(declined.Output).ToString());

        ps.Host.Answers.Enqueue(0); // Yes
        var accepted = ps.Run("Remove-Module KubeOS -Confirm; @(Get-Module KubeOS).Count");

        Assert.Equal(0, Assert.Single(accepted.Output).BaseObject);
        Assert.Empty(ps.Host.Answers);
    }

    [Fact]
    public void A_prompt_without_a_queued_answer_fails_instead_of_hanging()
    {
        using var ps = new PowerShellSession();

        var result = ps.Run("Remove-Module KubeOS -Confirm; (Get-Module KubeOS).Name");

        Assert.NotEmpty(result.Errors);
        Assert.Equal("KubeOS", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void Streams_are_collected_separately()
    {
        using var ps = new PowerShellSession(importModule: false);

        var result = ps.Run("""
            & {
                [CmdletBinding()] param()
                'out'
                $PSCmdlet.WriteWarning('careful')
                $PSCmdlet.WriteVerbose('details')
                $PSCmdlet.WriteInformation('note', @('tag'))
                $PSCmdlet.WriteProgress([System.Management.Automation.ProgressRecord]::new(1, 'Work', 'step'))
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('bad'), 'Demo.Bad', 'InvalidData', $null))
            } -Verbose
            """);

        Assert.Equal("out", Assert.Single(result.Output).ToString());
        Assert.Equal("careful", Assert.Single(result.Warnings).Message);
        Assert.Equal("details", Assert.Single(result.Verbose).Message);
        Assert.Equal("note", Assert.Single(result.Information).MessageData.ToString());
        Assert.Equal("Work", Assert.Single(result.Progress).Activity);
        Assert.Equal("Demo.Bad", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
