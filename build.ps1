<#
.SYNOPSIS
    Builds, tests, packages and documents the KubeOS PowerShell module.

.DESCRIPTION
    Runs the same dotnet commands CI runs. The packaged module lands in out/KubeOS/<version>/ and can be imported
    with Import-Module ./out/KubeOS/<version>/KubeOS.psd1, or by name after adding ./out to $env:PSModulePath.

.PARAMETER Task
    One or more of: Build, Test, Package, Help, Pester. The default is Build and Test.

.PARAMETER Configuration
    Debug or Release.

.EXAMPLE
    ./build.ps1

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Help', 'Pester')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$repoRoot = $PSScriptRoot
$moduleProject = Join-Path $repoRoot 'src/KubeOS.PowerShell/KubeOS.PowerShell.csproj'
$testProject = Join-Path $repoRoot 'tests/KubeOS.PowerShell.Tests'

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleFolder {
    # The version is the one Directory.Build.props gives every project.
    $version = (& dotnet msbuild $moduleProject -getProperty:KubeOSVersion).Trim()
    Join-Path $repoRoot "out/KubeOS/$version"
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Dotnet @('build', (Join-Path $repoRoot 'KubeOS.PowerShell.sln'), '-c', $Configuration)
        }
        'Test' {
            Invoke-Dotnet @('test', '--project', $testProject, '-c', $Configuration)
        }
        'Package' {
            # Building the module project lays out out/KubeOS/<version>/ and generates its help.
            Invoke-Dotnet @('build', $moduleProject, '-c', $Configuration)
            $folder = Get-ModuleFolder
            Test-ModuleManifest -Path (Join-Path $folder 'KubeOS.psd1') | Out-Null
            Write-Host "Module ready at $folder"
        }
        'Help' {
            # The help generator runs as part of the module build and fails it when docs and code disagree.
            Invoke-Dotnet @('build', $moduleProject, '-c', $Configuration)
            Write-Host "Help written to $(Join-Path (Get-ModuleFolder) 'en-US')"
        }
        'Pester' {
            $pester = Get-Module -ListAvailable -Name Pester | Sort-Object Version -Descending | Select-Object -First 1
            if (-not $pester) {
                Write-Warning 'Pester is not installed (Install-Module Pester -Scope CurrentUser); skipping tests/Pester.'
                continue
            }
            $pesterTests = Join-Path $repoRoot 'tests/Pester'
            if (-not (Test-Path $pesterTests)) {
                Write-Warning "No Pester tests at $pesterTests."
                continue
            }
            Import-Module $pester -MinimumVersion 5.0
            $env:KUBEOS_MODULE_PATH = Join-Path (Get-ModuleFolder) 'KubeOS.psd1'
            $result = Invoke-Pester -Path $pesterTests -PassThru -Output Detailed
            if ($result.FailedCount -gt 0) {
                throw "$($result.FailedCount) Pester test(s) failed."
            }
        }
    }
}
