<#
.SYNOPSIS
    Checks every KubeOS manifest in a folder before it is applied; the exit code is the number of invalid documents.

.EXAMPLE
    ./examples/check-manifests.ps1 -Folder ./manifests
#>
param(
    [Parameter(Mandatory)]
    [string] $Folder,

    # Also list every problem (errors and warnings) as a table.
    [switch] $Detailed
)

Import-Module KubeOS -ErrorAction Stop

# The file list comes from the .NET API so the script runs in any PowerShell host, including kubeos-pwsh.
[string[]] $files = [System.IO.Directory]::GetFiles($Folder, '*.yaml') + [System.IO.Directory]::GetFiles($Folder, '*.json')
[array]::Sort($files)

$invalid = 0
foreach ($file in $files) {
    $verdicts = @(Test-KubeOSManifest -LiteralPath $file -Quiet)
    $bad = @($verdicts | Where-Object { -not $_ }).Count
    $invalid += $bad
    $status = if ($bad -eq 0) { 'ok' } else { "$bad invalid document(s)" }
    "{0,-40} {1}" -f [System.IO.Path]::GetFileName($file), $status
}

if ($Detailed -and $invalid -gt 0) {
    Test-KubeOSManifest -LiteralPath $files -PassThru -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
}

"$invalid invalid document(s) in $($files.Count) file(s)"
exit $invalid
