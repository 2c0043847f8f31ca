using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Help;

public sealed class HelpTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void Every_exported_cmdlet_has_a_written_synopsis_description_and_at_least_two_examples()
    {
        var result = _ps.Run("""
            Get-Command -Module KubeOS | ForEach-Object {
                $help = Get-Help $_.Name -Full
                [pscustomobject]@{
                    Name = $_.Name
                    Synopsis = $help.Synopsis
                    Description = ($help.description | ForEach-Object Text) -join ' '
                    Examples = @($help.examples.example).Count
                }
            }
            """);

        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, o =>
        {
            var name = (string)o.Properties["Name"].Value;
            var synopsis = (string)o.Properties["Synopsis"].Value;
            // Without MAML the engine makes up a synopsis from the syntax, which starts with the command name.
            Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{name} has no synopsis");
            Assert.DoesNotContain(name, synopsis);
            Assert.False(string.IsNullOrWhiteSpace((string)o.Properties["Description"].Value), $"{name} has no description");
            Assert.True((int)o.Properties["Examples"].Value >= 2, $"{name} has fewer than two examples");
        });
    }

    [Fact]
    public void Get_Help_Examples_shows_the_examples_from_the_generated_help()
    {
        var text = _ps.Render("Get-Help Test-KubeOSManifest -Examples");

        Assert.Contains("Example 1: Check a manifest before applying it", text);
        Assert.Contains("Test-KubeOSManifest -Path ./os-upgrade.yaml -ErrorAction Stop", text);
        Assert.Contains("Get-ChildItem ./manifests -Filter *.yaml | Test-KubeOSManifest -Quiet", text);
    }

    [Fact]
    public void Get_Help_Parameter_describes_the_parameter_with_its_live_metadata()
    {
        var result = _ps.Run("Get-Help Test-KubeOSManifest -Parameter Path");

        var parameter = Assert.Single(result.Output);
        var description = string.Join(" ", ((IEnumerable<object>)LanguagePrimitives.ConvertTo(parameter.Properties["description"].Value, typeof(object[])))
            .Select(d => PSObject.AsPSObject(d).Properties["Text"].Value));
        Assert.Contains("Wildcards are allowed", description);
        Assert.Equal("True (ByPropertyName)", parameter.Properties["pipelineInput"].Value);
        Assert.Equal("true", parameter.Properties["globbing"].Value);
        Assert.Equal("FullName", parameter.Properties["aliases"].Value);
        Assert.Equal("0", parameter.Properties["position"].Value);

        var text = _ps.Render("Get-Help ConvertTo-KubeOSManifest -Parameter SysConfig");
        Assert.Contains("keyed by configuration model", text);
    }

    [Fact]
    public void The_syntax_comes_from_the_live_cmdlet_with_its_parameter_sets_and_allowed_values()
    {
        var syntax = _ps.Render("(Get-Help Test-KubeOSManifest).syntax");
        Assert.Contains("Test-KubeOSManifest [-Path] <String[]> [-Quiet] [-PassThru] [<CommonParameters>]", syntax);
        Assert.Contains("Test-KubeOSManifest -LiteralPath <String[]> [-Quiet] [-PassThru] [<CommonParameters>]", syntax);
        Assert.Contains("Test-KubeOSManifest -Content <String> [-Quiet] [-PassThru] [<CommonParameters>]", syntax);

        var convert = _ps.Render("(Get-Help ConvertTo-KubeOSManifest).syntax");
        Assert.Contains("-OpsType {upgrade | rollback | config}", convert);
        var modes = _ps.Run("""
            (Get-Help ConvertTo-KubeOSManifest).syntax.syntaxItem.parameter |
                Where-Object { $_.name -eq 'ExecutionMode' } | ForEach-Object { $_.parameterValueGroup.parameterValue }
            """);
        Assert.Equal(["parallel", "serial"], modes.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Related_links_and_outputs_come_from_the_markdown()
    {
        var links = _ps.Run("(Get-Help Test-KubeOSManifest).relatedLinks.navigationLink.linkText");
        Assert.Equal(["ConvertTo-KubeOSManifest", "about_KubeOS"], links.Output.Select(o => o.ToString()));

        var outputs = _ps.Run("(Get-Help Test-KubeOSManifest).returnValues.returnValue.type.name");
        Assert.Contains("KubeOS.PowerShell.ManifestProblem", outputs.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void The_about_topic_is_generated_as_plain_text()
    {
        var path = Path.Combine(RepoPaths.ModuleFolder, "en-US", "about_KubeOS.help.txt");
        var lines = File.ReadAllLines(path);

        Assert.Equal("TOPIC", lines[0]);
        Assert.Equal("    about_kubeos", lines[1]);
        Assert.Contains("SHORT DESCRIPTION", lines);
        Assert.Contains("LONG DESCRIPTION", lines);
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"line too long: {l}"));
        Assert.Contains(lines, l => l.StartsWith("        ConvertTo-KubeOSManifest -Name os-tuning"));

        var shown = _ps.Run("Get-Help about_KubeOS");
        var text = Assert.IsType<string>(Assert.Single(shown.Output).BaseObject);
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.Contains("Test-KubeOSManifest reads YAML or JSON files", text);
    }

    [Fact]
    public void The_help_generator_fails_on_drift_between_docs_and_cmdlets()
    {
        var docs = Directory.CreateTempSubdirectory("kubeos-docs-");
        var output = Directory.CreateTempSubdirectory("kubeos-help-");
        try
        {
            foreach (var page in Directory.EnumerateFiles(RepoPaths.HelpSources, "*.md"))
            {
                File.Copy(page, Path.Combine(docs.FullName, Path.GetFileName(page)));
            }
            var page1 = Path.Combine(docs.FullName, "Test-KubeOSManifest.md");
            var text = File.ReadAllText(page1);
            // Drop the -Quiet section and document a parameter that does not exist.
            var quiet = text.IndexOf("### -Quiet", StringComparison.Ordinal);
            var next = text.IndexOf("### -PassThru", StringComparison.Ordinal);
            text = text[..quiet] + "### -Bogus\nNot a parameter.\n\n" + text[next..];
            // And give -Path the wrong alias.
            text = text.Replace("Aliases: FullName", "Aliases: FilePath");
            File.WriteAllText(page1, text);
            File.Delete(Path.Combine(docs.FullName, "ConvertTo-KubeOSManifest.md"));

            var run = ProcessRunner.RunDotnet(RepoPaths.HelpGen,
                ["--module", RepoPaths.ModuleManifest, "--docs", docs.FullName, "--out", output.FullName]);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("error KOSHELP: Test-KubeOSManifest: -Quiet is not documented", run.StdOut);
            Assert.Contains("error KOSHELP: Test-KubeOSManifest: documents -Bogus, which the cmdlet lacks", run.StdOut);
            Assert.Contains("ConvertTo-KubeOSManifest.md : error KOSHELP: ConvertTo-KubeOSManifest: no help page", run.StdOut);
            Assert.Contains("error KOSHELP: Test-KubeOSManifest: -Path is documented with aliases 'FilePath' but has 'FullName'", run.StdOut);
            Assert.Empty(Directory.EnumerateFiles(output.FullName));
        }
        finally
        {
            docs.Delete(recursive: true);
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_help_generator_requires_two_examples()
    {
        var docs = Directory.CreateTempSubdirectory("kubeos-docs-");
        var output = Directory.CreateTempSubdirectory("kubeos-help-");
        try
        {
            foreach (var page in Directory.EnumerateFiles(RepoPaths.HelpSources, "*.md"))
            {
                File.Copy(page, Path.Combine(docs.FullName, Path.GetFileName(page)));
            }
            var page1 = Path.Combine(docs.FullName, "ConvertTo-KubeOSManifest.md");
            var text = File.ReadAllText(page1);
            var examples = text.IndexOf("### Example 2", StringComparison.Ordinal);
            var parameters = text.IndexOf("## PARAMETERS", StringComparison.Ordinal);
            File.WriteAllText(page1, text[..examples] + text[parameters..]);

            var run = ProcessRunner.RunDotnet(RepoPaths.HelpGen,
                ["--module", RepoPaths.ModuleManifest, "--docs", docs.FullName, "--out", output.FullName]);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("error KOSHELP: ConvertTo-KubeOSManifest: has 1 example(s); write at least 2", run.StdOut);
        }
        finally
        {
            docs.Delete(recursive: true);
            output.Delete(recursive: true);
        }
    }
}
