using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.ScriptHost;

/// <summary>kubeos-pwsh run as users run it: a process with a script file, arguments, stdin and an exit code.</summary>
public sealed class ScriptHostTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kubeos-pwsh-");

    [Fact]
    public void A_script_imports_the_module_by_name_renders_its_table_and_returns_its_exit_code()
    {
        var script = Write("check.ps1", """
            param([string] $Folder, [switch] $Loud)
            Import-Module KubeOS -ErrorAction Stop
            $results = Test-KubeOSManifest -Path "$Folder/*.yaml" -PassThru -ErrorAction SilentlyContinue
            $results
            if ($Loud) { "loud: $($results.Count) problem(s)" }
            exit 3
            """);
        var bad = Path.Combine(_folder.FullName, "bad.yaml");
        File.Copy(Path.Combine(RepoPaths.Samples, "bad", "maxunavailable-zero.yaml"), bad);

        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, [script, "-Folder", _folder.FullName, "-Loud"]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Matches(@"Document\s+Kind\s+Name\s+Severity\s+Path\s+Message", run.StdOut);
        Assert.Contains("spec.maxunavailable", run.StdOut);
        Assert.Matches(@"loud: [1-9]\d* problem\(s\)", run.StdOut);
        Assert.DoesNotContain("\u001b[", run.StdOut);
    }

    [Fact]
    public void Command_text_runs_with_the_module_given_by_path_and_errors_print_where_they_happen()
    {
        var bad = Path.Combine(RepoPaths.Samples, "bad", "opstype-unknown.yaml");
        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
            ["-Module", RepoPaths.ModuleManifest, "-Command", $"Test-KubeOSManifest -Path '{bad}'; 'after'"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("spec.opstype", run.StdOut + run.StdErr);
        Assert.Contains("after", run.StdOut);
    }

    [Fact]
    public void An_uncaught_error_exits_1_with_the_message_and_position()
    {
        var script = Write("fail.ps1", """
            'before'
            throw 'the manifest store is unreachable'
            'after'
            """);

        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, [script]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("before", run.StdOut);
        Assert.DoesNotContain("after", run.StdOut);
        Assert.Contains("the manifest store is unreachable", run.StdErr);
        Assert.Contains("fail.ps1:2", run.StdErr);
    }

    [Fact]
    public void Prompts_are_answered_from_standard_input()
    {
        var script = Write("ask.ps1", """
            $choices = [System.Management.Automation.Host.ChoiceDescription[]] @('&Yes', '&No')
            $answer = $Host.UI.PromptForChoice('Reboot', 'Reboot node-a now?', $choices, 0)
            "answer: $answer"
            """);

        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, [script], stdin: "n\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Reboot node-a now?", run.StdOut);
        Assert.Contains("[Y] Yes [N] No (default is \"Y\"):", run.StdOut);
        Assert.Contains("answer: 1", run.StdOut);
    }

    [Fact]
    public void Progress_is_one_plain_line_per_update_on_stderr()
    {
        var script = Write("progress.ps1", """
            $record = [System.Management.Automation.ProgressRecord]::new(7, 'Upgrading nodes', 'node-a')
            $record.PercentComplete = 50
            $Host.UI.WriteProgress(1, $record)
            $record.RecordType = 'Completed'
            $Host.UI.WriteProgress(1, $record)
            'done'
            """);

        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, [script]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Upgrading nodes: node-a 50%", "Upgrading nodes: completed"], run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("done", run.StdOut.Trim());
    }

    [Fact]
    public void The_check_manifests_example_exits_with_the_number_of_invalid_documents()
    {
        var bad = RepoPaths.SampleFiles("bad").ToList();
        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
            [Path.Combine(RepoPaths.Root, "examples", "check-manifests.ps1"), "-Folder", Path.Combine(RepoPaths.Samples, "bad")]);

        Assert.True(run.ExitCode == bad.Count, run.ToString());
        Assert.All(bad, f => Assert.Matches($@"{Regex.Escape(Path.GetFileName(f))}\s+1 invalid document\(s\)", run.StdOut));
        Assert.Contains($"{bad.Count} invalid document(s) in {bad.Count} file(s)", run.StdOut);

        var good = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
            [Path.Combine(RepoPaths.Root, "examples", "check-manifests.ps1"), "-Folder", Path.Combine(RepoPaths.Samples, "good")]);
        Assert.True(good.ExitCode == 0, good.ToString());
    }

    [Fact]
    public void A_script_that_does_not_exist_is_reported()
    {
        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, [Path.Combine(_folder.FullName, "missing.ps1")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing.ps1' does not exist", run.StdErr);
    }

    [Fact]
    public void A_module_that_cannot_be_imported_is_reported_with_exit_code_1()
    {
        var missing = Path.Combine(_folder.FullName, "Missing.psd1");
        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost, ["-Module", missing, "-Command", "'never'"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"kubeos-pwsh: One or more errors occurred processing the module '{missing}'", run.StdErr);
        Assert.DoesNotContain("never", run.StdOut);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
