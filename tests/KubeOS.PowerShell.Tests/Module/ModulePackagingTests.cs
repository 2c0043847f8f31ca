using System.Management.Automation;
using System.Management.Automation.Language;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Module;

public sealed class ModulePackagingTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void Importing_the_manifest_writes_no_warnings_or_errors()
    {
        using var fresh = new PowerShellSession(importModule: false);
        var import = fresh.Run("Import-Module -Name $Path -PassThru", new() { ["Path"] = RepoPaths.ModuleManifest });

        Assert.Null(import.Terminating);
        Assert.Empty(import.Errors);
        Assert.Empty(import.Warnings);
        var module = Assert.IsType<PSModuleInfo>(Assert.Single(import.Output).BaseObject);
        Assert.Equal("KubeOS", module.Name);
        Assert.Equal(RepoPaths.ModuleVersion, module.Version.ToString(3));
    }

    [Fact]
    public void Exported_commands_are_exactly_the_manifests_CmdletsToExport()
    {
        var declared = ManifestCmdletsToExport();
        var result = _ps.Run("Get-Command -Module KubeOS");

        var exported = result.Output.Select(o => ((CommandInfo)o.BaseObject).Name).Order().ToArray();
        Assert.Equal(declared.Order().ToArray(), exported);
        Assert.All(result.Output, o => Assert.Equal(CommandTypes.Cmdlet, ((CommandInfo)o.BaseObject).CommandType));
    }

    [Fact]
    public void Every_exported_cmdlet_uses_an_approved_verb_and_declares_its_output_type()
    {
        // The approved verbs are the constants of the engine's Verbs* classes (Get-Verb is not in the hosted engine).
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic),
                typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields()).Select(f => (string)f.GetValue(null)!).ToHashSet();
        var commands = _ps.Run("Get-Command -Module KubeOS").Output.Select(o => (CmdletInfo)o.BaseObject).ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, c =>
        {
            Assert.True(approved.Contains(c.Verb), $"{c.Name} uses the unapproved verb {c.Verb}");
            Assert.True(c.OutputType.Count > 0, $"{c.Name} has no [OutputType]");
        });
    }

    [Fact]
    public void Test_ModuleManifest_accepts_the_packaged_manifest()
    {
        var result = _ps.Run("Test-ModuleManifest -Path $Path", new() { ["Path"] = RepoPaths.ModuleManifest });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var info = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(RepoPaths.ModuleVersion, info.Version.ToString(3));
        Assert.Contains("Core", info.CompatiblePSEditions);
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
    }

    [Fact]
    public void The_packaged_folder_holds_the_module_its_dependencies_and_help_but_not_the_engine()
    {
        string[] expected =
        [
            "KubeOS.psd1", "KubeOS.PowerShell.dll", "KubeOS.Api.dll", "YamlDotNet.dll", "KubeOS.format.ps1xml",
            "KubeOS.types.ps1xml", Path.Combine("en-US", "KubeOS.PowerShell.dll-help.xml"), Path.Combine("en-US", "about_KubeOS.help.txt"),
        ];
        foreach (var file in expected)
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleFolder, file)), $"{file} is missing from {RepoPaths.ModuleFolder}");
        }
        Assert.False(File.Exists(Path.Combine(RepoPaths.ModuleFolder, "System.Management.Automation.dll")));
    }

    [Fact]
    public void The_packaged_manifest_carries_the_build_version_and_lists_cmdlets_without_wildcards()
    {
        var manifest = ReadManifest();
        Assert.Equal(RepoPaths.ModuleVersion, manifest["ModuleVersion"]);
        Assert.Equal("KubeOS.PowerShell.dll", manifest["RootModule"]);
        Assert.DoesNotContain(ManifestCmdletsToExport(), name => name.Contains('*'));
    }

    private static string[] ManifestCmdletsToExport() =>
        ((object[])ReadManifest()["CmdletsToExport"]!).Cast<string>().ToArray();

    /// <summary>The manifest as data, read with the PowerShell parser (Import-PowerShellDataFile is not in the hosted engine).</summary>
    private static System.Collections.Hashtable ReadManifest()
    {
        var ast = Parser.ParseFile(RepoPaths.ModuleManifest, out _, out var errors);
        Assert.Empty(errors);
        var table = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        return (System.Collections.Hashtable)table.SafeGetValue();
    }
}
