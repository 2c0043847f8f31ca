#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Pester 5 checks of the manifest cmdlets for users with pwsh and Pester (./build.ps1 -Task Pester).
    CI runs the same behaviour through the hosted engine in tests/KubeOS.PowerShell.Tests; this file is not run there.
#>

BeforeDiscovery {
    $samples = Join-Path $PSScriptRoot '../manifests/samples'
    $goodFiles = Get-ChildItem (Join-Path $samples 'good') -Filter *.yaml
    $badFiles = Get-ChildItem (Join-Path $samples 'bad') -Filter *.yaml
}

BeforeAll {
    $modulePath = if ($env:KUBEOS_MODULE_PATH) { $env:KUBEOS_MODULE_PATH } else {
        Get-ChildItem (Join-Path $PSScriptRoot '../../out/KubeOS') -Filter KubeOS.psd1 -Recurse | Select-Object -First 1 -ExpandProperty FullName
    }
    Import-Module $modulePath -Force
}

Describe 'Test-KubeOSManifest' {
    It 'accepts <_.Name>' -ForEach $goodFiles {
        Test-KubeOSManifest -LiteralPath $_.FullName -Quiet | Should -Not -Contain $false
    }

    It 'rejects <_.Name> at the field its first line names' -ForEach $badFiles {
        $field = ((Get-Content $_.FullName -TotalCount 1) -replace '^# expected: ', '').Split(' ')[0]
        $problems = Test-KubeOSManifest -LiteralPath $_.FullName -PassThru -ErrorAction SilentlyContinue -ErrorVariable errors
        $problems.Path | Should -Contain $field
        $errors.FullyQualifiedErrorId | Should -Match ',KubeOS\.PowerShell\.TestKubeOSManifestCommand$'
    }
}

Describe 'ConvertTo-KubeOSManifest' {
    It 'writes a manifest that Test-KubeOSManifest accepts' {
        $yaml = ConvertTo-KubeOSManifest -Name os-v2 -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk `
            -ImageUrl https://images.example.internal/kubeos/2.0/update.img -CaCert ca.crt -Checksum ('ab' * 32)
        $yaml | Test-KubeOSManifest -Quiet | Should -BeTrue
    }

    It 'stops on an invalid combination, naming the parameter' {
        { ConvertTo-KubeOSManifest -Name broken -OpsType upgrade -Version 'KubeOS 2.0' -ImageType disk -Checksum abc } |
            Should -Throw -ErrorId 'InvalidManifestParameter,KubeOS.PowerShell.ConvertToKubeOSManifestCommand' -ExpectedMessage '*-ImageUrl*'
    }
}
