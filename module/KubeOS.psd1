@{
    # The build writes the real version ($(KubeOSVersion) in Directory.Build.props) into the packaged copy under
    # out/KubeOS/<version>/; this value is only what the source tree says.
    RootModule           = 'KubeOS.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0e8a52-3c1d-4d7b-9b7e-2a4c5d8e9f10'
    Author               = 'KubeOS for .NET contributors'
    CompanyName          = 'KubeOS for .NET contributors'
    Copyright            = '(c) KubeOS for .NET contributors. Licensed under the Mulan PSL v2.'
    Description          = 'Manage KubeOS immutable nodes from PowerShell: write and validate OS manifests, roll out upgrades, configuration and rollbacks node by node.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('KubeOS.format.ps1xml')
    TypesToProcess       = @('KubeOS.types.ps1xml')
    CmdletsToExport      = @(
        'ConvertTo-KubeOSManifest'
        'Enter-KubeOSAdminContainer'
        'Get-KubeOSNode'
        'Get-KubeOSSandbox'
        'Get-KubeOSUpgrade'
        'Get-KubeOSUpgradePlan'
        'Install-KubeOSOperator'
        'Invoke-KubeOSAdminCommand'
        'Invoke-KubeOSRollback'
        'New-KubeOSImage'
        'Remove-KubeOSAdminContainer'
        'Resume-KubeOSUpgrade'
        'Set-KubeOSConfig'
        'Set-KubeOSNodeGroup'
        'Start-KubeOSSandbox'
        'Start-KubeOSUpgrade'
        'Stop-KubeOSSandbox'
        'Suspend-KubeOSUpgrade'
        'Test-KubeOSManifest'
        'Uninstall-KubeOSOperator'
        'Wait-KubeOSUpgrade'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('KubeOS', 'openEuler', 'Kubernetes', 'ImmutableOS', 'Upgrade', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/kubeos-dotnet/kubeos'
            LicenseUri   = 'https://github.com/kubeos-dotnet/kubeos/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/kubeos-dotnet/kubeos/blob/main/CHANGELOG.md'
        }
    }
}
