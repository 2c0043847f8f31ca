#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    How to test your own operations scripts that call the KubeOS module, with Pester 5:

    1. Mock the module's cmdlets the script calls (Mock Get-KubeOSNode { ... }) and check how it called them
       (Should -Invoke ... -ParameterFilter { ... }). Mocks return objects shaped like the module's output; give them the
       module's type name (PSTypeName) so the default views apply.
    2. Code inside a module calls the cmdlets from the module's scope: mock them there with Mock -ModuleName.
    3. Run the script against a sandbox cluster (Start-KubeOSSandbox in BeforeAll, Stop-KubeOSSandbox in AfterAll):
       real reads, and writes either mocked or previewed with -WhatIf.

    Run with ./build.ps1 -Task Pester, or Invoke-Pester ./tests/Pester after Import-Module of the packaged module.
    CI here has no pwsh: it parses this file and checks that every KubeOS command it calls exists with the parameters
    used (tests/KubeOS.PowerShell.Tests/Scripts).
#>

BeforeAll {
    $modulePath = if ($env:KUBEOS_MODULE_PATH) { $env:KUBEOS_MODULE_PATH } else {
        Get-ChildItem (Join-Path $PSScriptRoot '../../out/KubeOS') -Filter KubeOS.psd1 -Recurse | Select-Object -First 1 -ExpandProperty FullName
    }
    Import-Module $modulePath -Force
    $script = Join-Path $PSScriptRoot 'Scripts/Invoke-NodeMaintenance.ps1'
    $upgrade = @{
        Group          = 'rack-a'
        Version        = 'KubeOS v2'
        ContainerImage = 'registry.example.internal/kubeos/upgrade:v2'
        Checksum       = 'ab' * 32
    }

    # A stand-in for what Get-KubeOSNode writes: the properties the script reads, and the module's type name.
    function New-TestNode {
        param(
            [string] $Name,
            [string] $Group = 'rack-a',
            [string] $OSVersion = 'KubeOS v1',
            [bool] $Ready = $true,
            [string] $Phase
        )
        [pscustomobject]@{
            PSTypeName = 'KubeOS.PowerShell.KubeOSNode'
            Name       = $Name
            NodeName   = $Name
            Group      = $Group
            OSVersion  = $OSVersion
            Ready      = $Ready
            Status     = if ($Ready) { 'Ready' } else { 'NotReady' }
            NodeStatus = 'idle'
            Phase      = $Phase
        }
    }
}

Describe 'Invoke-NodeMaintenance with the KubeOS cmdlets mocked' {
    BeforeAll {
        Mock Start-KubeOSUpgrade { }
        Mock Invoke-KubeOSRollback { }
    }

    It 'upgrades the group by its node selector and waits' {
        Mock Get-KubeOSNode { New-TestNode worker-1; New-TestNode worker-2; New-TestNode other-1 -Group rack-b }

        $result = & $script @upgrade

        Should -Invoke Start-KubeOSUpgrade -Times 1 -Exactly -ParameterFilter {
            $NodeSelector -eq 'rack-a' -and $Version -eq 'KubeOS v2' -and $ImageType -eq 'containerd' -and
            $ContainerImage -eq 'registry.example.internal/kubeos/upgrade:v2' -and $MaxUnavailable -eq 1 -and $Wait
        }
        Should -Invoke Invoke-KubeOSRollback -Times 0
        $result.Pending | Should -Be @('worker-1', 'worker-2')
    }

    It 'does nothing when every node of the group already runs the version' {
        Mock Get-KubeOSNode { New-TestNode worker-1 -OSVersion 'KubeOS v2'; New-TestNode worker-2 -OSVersion 'KubeOS v2' }

        $result = & $script @upgrade

        Should -Invoke Start-KubeOSUpgrade -Times 0
        $result.Pending | Should -BeNullOrEmpty
    }

    It 'refuses to start while a node of the group is not Ready' {
        Mock Get-KubeOSNode { New-TestNode worker-1; New-TestNode worker-2 -Ready $false }

        { & $script @upgrade } | Should -Throw '*worker-2*not Ready*'
        Should -Invoke Start-KubeOSUpgrade -Times 0
    }

    It 'rolls back exactly the nodes whose upgrade failed' {
        # Before the upgrade every node is on v1; the second listing (after -Wait) has worker-2 failed.
        Mock Get-KubeOSNode { New-TestNode worker-1; New-TestNode worker-2 } -ParameterFilter { -not $Name }
        Mock Get-KubeOSNode { New-TestNode worker-1 -OSVersion 'KubeOS v2'; New-TestNode worker-2 -Phase Failed } -ParameterFilter { $Name }

        $result = & $script @upgrade -WarningAction SilentlyContinue

        Should -Invoke Get-KubeOSNode -Times 1 -Exactly -ParameterFilter { $Name -contains 'worker-1' -and $Name -contains 'worker-2' }
        Should -Invoke Invoke-KubeOSRollback -Times 1 -Exactly
        $result.RolledBack | Should -Be @('worker-2')
    }

    It 'passes -Kubeconfig on to every cmdlet' {
        Mock Get-KubeOSNode { New-TestNode worker-1 }

        $null = & $script @upgrade -Kubeconfig /etc/kubeos/prod.yaml

        Should -Invoke Get-KubeOSNode -ParameterFilter { $Kubeconfig -eq '/etc/kubeos/prod.yaml' }
        Should -Invoke Start-KubeOSUpgrade -ParameterFilter { $Kubeconfig -eq '/etc/kubeos/prod.yaml' }
    }

    It 'changes nothing under -WhatIf' {
        Mock Get-KubeOSNode { New-TestNode worker-1 }

        $null = & $script @upgrade -WhatIf

        Should -Invoke Start-KubeOSUpgrade -Times 0
    }
}

Describe 'A module of your own that calls KubeOS cmdlets (Mock -ModuleName)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Scripts/KubeOSReport.psm1') -Force
        # The module's functions call Get-KubeOSNode from inside KubeOSReport, so that is where the mock must live.
        Mock -ModuleName KubeOSReport Get-KubeOSNode {
            New-TestNode worker-1
            New-TestNode worker-2 -Ready $false
            New-TestNode worker-3 -OSVersion 'KubeOS v2'
        }
    }

    AfterAll {
        Remove-Module KubeOSReport
    }

    It 'counts the nodes per version and names those not Ready' {
        $summary = Get-KubeOSVersionSummary -Name 'worker-*'

        ($summary | Where-Object OSVersion -eq 'KubeOS v1').Nodes | Should -Be 2
        ($summary | Where-Object OSVersion -eq 'KubeOS v1').NotReady | Should -Be @('worker-2')
        ($summary | Where-Object OSVersion -eq 'KubeOS v2').Nodes | Should -Be 1
        Should -Invoke -ModuleName KubeOSReport Get-KubeOSNode -Times 1 -Exactly -ParameterFilter { $Name -eq 'worker-*' }
    }
}

Describe 'Invoke-NodeMaintenance against a sandbox cluster' -Tag 'Sandbox' {
    BeforeAll {
        $sandbox = Start-KubeOSSandbox -Nodes 3 -Name pester
        # Put the two workers into a group, as an administrator labels a rack.
        & kubectl --kubeconfig $sandbox.KubeconfigPath label node node-1 node-2 upgrade.openeuler.org/node-selector=rack-a | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'kubectl could not label the sandbox nodes.' }
    }

    AfterAll {
        $sandbox | Stop-KubeOSSandbox
    }

    It 'reads the real nodes: a group without nodes stops the script' {
        # A splatted parameter cannot also be given by name: change a copy of the set instead.
        $elsewhere = $upgrade.Clone()
        $elsewhere.Group = 'no-such-group'

        { & $script @elsewhere } | Should -Throw "No node is in group 'no-such-group'*"
    }

    It 'upgrades only when a node of the group is behind (real reads, mocked upgrade)' {
        Mock Start-KubeOSUpgrade { }
        $alreadyThere = $upgrade.Clone()
        $alreadyThere.Version = 'KubeOS v1'

        $behind = & $script @upgrade
        $current = & $script @alreadyThere

        $behind.Pending | Should -Be @('node-1', 'node-2')
        $current.Pending | Should -BeNullOrEmpty
        Should -Invoke Start-KubeOSUpgrade -Times 1 -Exactly -ParameterFilter { $NodeSelector -eq 'rack-a' }
    }

    It 'changes nothing in the cluster under -WhatIf' {
        $null = & $script @upgrade -WhatIf

        & kubectl --kubeconfig $sandbox.KubeconfigPath get os --all-namespaces -o name | Should -BeNullOrEmpty
        (Get-KubeOSNode -Name node-1, node-2).NodeStatus | Should -Not -Contain 'upgrade'
    }
}
