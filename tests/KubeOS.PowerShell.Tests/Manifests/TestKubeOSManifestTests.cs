using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Manifests;

public sealed class TestKubeOSManifestTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private const string CmdletId = "KubeOS.PowerShell.TestKubeOSManifestCommand";
    private const string ProblemType = "KubeOS.PowerShell.ManifestProblem";
    private readonly PowerShellSession _ps = fixture.Session;

    public static TheoryData<string> GoodSamples => new(RepoPaths.SampleFiles("good").Select(Path.GetFileName)!);
    public static TheoryData<string> BadSamples => new(RepoPaths.SampleFiles("bad").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(GoodSamples))]
    public void A_good_sample_has_no_errors(string file)
    {
        var result = _ps.Run("Test-KubeOSManifest -Path $Path -PassThru", new() { ["Path"] = Sample("good", file) });

        // Good samples may still draw advice (warnings such as a missing CA bundle); they must not draw errors.
        Assert.Null(result.Terminating);
        Assert.True(result.Errors.Count == 0, result.ToString());
        Assert.DoesNotContain(result.Output, o => Prop<object>(o, "Severity").ToString() == "Error");
        Assert.Equal(result.Output.Count, result.Warnings.Count);
    }

    [Theory]
    [MemberData(nameof(BadSamples))]
    public void A_bad_sample_reports_the_expected_field_as_an_object_and_as_an_error_record(string file)
    {
        var path = Sample("bad", file);
        var field = ExpectedField(path);

        var result = _ps.Run("Test-KubeOSManifest -Path $Path -PassThru", new() { ["Path"] = path });

        Assert.Null(result.Terminating);
        var problem = result.Output.FirstOrDefault(o => Prop<string>(o, "Path") == field && Prop<object>(o, "Severity").ToString() == "Error");
        Assert.True(problem is not null, $"no error problem at {field}: {result}");
        Assert.Equal(ProblemType, problem!.TypeNames[0]);
        Assert.Equal(path, Prop<string>(problem, "Source"));
        Assert.Equal(1, Prop<int>(problem, "Document"));
        Assert.Equal("OS", Prop<string>(problem, "Kind"));
        Assert.False(string.IsNullOrWhiteSpace(Prop<string>(problem, "Message")));
        Assert.False(string.IsNullOrWhiteSpace(Prop<string>(problem, "Fix")));

        var errorId = Prop<string>(problem, "ErrorId");
        var record = result.Errors.FirstOrDefault(e => e.FullyQualifiedErrorId == $"{errorId},{CmdletId}");
        Assert.True(record is not null, $"no ErrorRecord {errorId},{CmdletId}: {result}");
        Assert.Equal(ErrorCategory.InvalidData, record!.CategoryInfo.Category);
        Assert.Contains(field, record.Exception.Message);
        Assert.Equal(field, Prop<string>(PSObject.AsPSObject(record.TargetObject), "Path"));
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction));
    }

    [Fact]
    public void ErrorAction_Stop_turns_the_first_problem_into_a_terminating_error_with_its_record()
    {
        var result = _ps.Run("Test-KubeOSManifest -Path $Path -ErrorAction Stop", new() { ["Path"] = Sample("bad", "checksum-not-sha256.yaml") });

        Assert.NotNull(result.Terminating);
        Assert.Equal($"InvalidChecksum,{CmdletId}", result.Terminating!.ErrorRecord.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_typed_catch_sees_the_modules_error_id()
    {
        var result = _ps.Run("""
            try { Test-KubeOSManifest -Path $Path -ErrorAction Stop }
            catch [KubeOS.PowerShell.Infrastructure.KubeOSException] { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString() }
            catch { 'untyped catch: ' + $_.Exception.GetType().FullName }
            """, new() { ["Path"] = Sample("bad", "maxunavailable-zero.yaml") });

        Assert.Equal([$"MaxUnavailableOutOfRange,{CmdletId}", "InvalidData"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Quiet_answers_true_or_false_per_document_and_writes_no_errors()
    {
        var result = _ps.Run("Test-KubeOSManifest -Path $Good, $Bad -Quiet", new()
        {
            ["Good"] = Sample("good", "rollback.yaml"),
            ["Bad"] = Sample("bad", "opstype-unknown.yaml"),
        });

        Assert.Equal([true, false], result.Output.Select(o => (bool)o.BaseObject));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Wildcards_in_Path_select_every_matching_file()
    {
        var result = _ps.Run("Test-KubeOSManifest -Path $Pattern -Quiet", new() { ["Pattern"] = Path.Combine(RepoPaths.Samples, "good", "upgrade-*.yaml") });

        Assert.Equal(RepoPaths.SampleFiles("good").Count(f => Path.GetFileName(f).StartsWith("upgrade-")), result.Output.Count);
        Assert.All(result.Output, o => Assert.True((bool)o.BaseObject));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_PowerShell_location()
    {
        var result = _ps.Run("""
            $ExecutionContext.SessionState.Path.SetLocation($Folder) | Out-Null
            Test-KubeOSManifest -Path ./rollback.yaml -Quiet
            """, new() { ["Folder"] = Path.Combine(RepoPaths.Samples, "good") });

        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Objects_bind_by_their_FullName_property()
    {
        var result = _ps.Run("[pscustomobject]@{ FullName = $P } | Test-KubeOSManifest -PassThru -ErrorAction SilentlyContinue",
            new() { ["P"] = Sample("bad", "missing-osversion.yaml") });

        Assert.Contains(result.Output, o => Prop<string>(o, "Path") == "spec.osversion");
    }

    [Fact]
    public void File_objects_bind_from_the_pipeline()
    {
        var result = _ps.Run("[System.IO.FileInfo]::new($P) | Test-KubeOSManifest -Quiet", new() { ["P"] = Sample("good", "osinstance.yaml") });

        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Objects_bind_to_LiteralPath_by_their_PSPath_property_without_wildcard_expansion()
    {
        var folder = Directory.CreateTempSubdirectory("kubeos-literal-");
        try
        {
            var literal = Path.Combine(folder.FullName, "os[1].yaml");
            File.Copy(Sample("good", "rollback.yaml"), literal);

            var result = _ps.Run("[pscustomobject]@{ PSPath = $P } | Test-KubeOSManifest -Quiet", new() { ["P"] = literal });

            Assert.True(result.Errors.Count == 0, result.ToString());
            Assert.Equal(true, Assert.Single(result.Output).BaseObject);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_is_ManifestFileNotFound_ObjectNotFound()
    {
        var missing = Path.Combine(RepoPaths.Samples, "no-such-file.yaml");
        var result = _ps.Run("Test-KubeOSManifest -LiteralPath $P; Test-KubeOSManifest -Path $P", new() { ["P"] = missing });

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal($"ManifestFileNotFound,{CmdletId}", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Equal(missing, e.TargetObject);
        });
    }

    [Fact]
    public void Content_accepts_whole_texts_and_lines_from_the_pipeline()
    {
        var result = _ps.Run("""
            $text = [System.IO.File]::ReadAllText($Good)
            $text | Test-KubeOSManifest -Quiet
            $text -split "`n" | Test-KubeOSManifest -Quiet
            """, new() { ["Good"] = Sample("good", "config-kernel.yaml") });

        Assert.Equal([true, true], result.Output.Select(o => (bool)o.BaseObject));
    }

    [Fact]
    public void Every_document_of_a_multi_document_stream_is_checked()
    {
        var text = File.ReadAllText(Sample("good", "rollback.yaml")) + "\n---\n" + File.ReadAllText(Sample("bad", "imagetype-unknown.yaml"));
        var result = _ps.Run("Test-KubeOSManifest -Content $T -PassThru -ErrorAction SilentlyContinue", new() { ["T"] = text });

        var problem = Assert.Single(result.Output, o => Prop<string>(o, "Path") == "spec.imagetype");
        Assert.Equal(2, Prop<int>(problem, "Document"));
        Assert.Equal("(content)", Prop<string>(problem, "Source"));
    }

    [Fact]
    public void Quiet_and_PassThru_together_is_a_terminating_ParameterConflict()
    {
        var record = _ps.Catch("Test-KubeOSManifest -Path $P -Quiet -PassThru", new() { ["P"] = Sample("good", "rollback.yaml") });

        Assert.Equal($"ParameterConflict,{CmdletId}", record?.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_types_file_adds_Field_and_IsError()
    {
        var result = _ps.Run("Test-KubeOSManifest -Path $P -PassThru -ErrorAction SilentlyContinue | ForEach-Object { '{0}|{1}' -f $_.Field, $_.IsError }",
            new() { ["P"] = Sample("bad", "sysctl-empty-key.yaml") });

        Assert.Contains("spec.sysconfigs.configs[0].contents[0].key|True", result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void The_default_table_view_shows_the_problem_columns_grouped_by_source()
    {
        var text = _ps.Render("Test-KubeOSManifest -Path $P -PassThru -ErrorAction SilentlyContinue",
            new() { ["P"] = Sample("bad", "executionmode-unknown.yaml") });

        var header = text.Split('\n').FirstOrDefault(l => l.Contains("Document") && l.Contains("Message"));
        Assert.True(header is not null, text);
        Assert.Matches(@"Document\s+Kind\s+Name\s+Severity\s+Path\s+Message", header);
        Assert.Contains("Source: " + Sample("bad", "executionmode-unknown.yaml"), text);
        Assert.Contains("spec.executionmode", text);
        Assert.DoesNotContain("\u001b[", text);
    }

    private static string Sample(string kind, string file) => Path.Combine(RepoPaths.Samples, kind, file);

    /// <summary>The field named on a bad sample's first line: "# expected: spec.checksum must be ...".</summary>
    private static string ExpectedField(string path)
    {
        var first = File.ReadLines(path).First();
        Assert.StartsWith("# expected: ", first);
        return first["# expected: ".Length..].Split(' ')[0];
    }

    private static T Prop<T>(PSObject o, string name) => (T)o.Properties[name].Value;
}
