using System.Management.Automation;
using System.Text;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell;

/// <summary>
/// Test-KubeOSManifest: loads and validates OS/OSInstance manifests from files or text.
/// By default each error is written to the error stream (so -ErrorAction, -ErrorVariable and $? work) and each
/// warning to the warning stream; -PassThru also emits one ManifestProblem object per problem; -Quiet emits only
/// $true/$false per document.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeOSManifest", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ManifestProblem), typeof(bool))]
public sealed class TestKubeOSManifestCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ContentSet = "Content";

    private readonly StringBuilder _pendingLines = new();
    private int _contentCount;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Content { get; set; } = "";

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (Quiet && PassThru)
        {
            ThrowTerminatingError(ErrorRecords.From(
                new KubeOSParameterException("-Quiet and -PassThru cannot be used together: -Quiet writes only $true or $false.",
                    CmdletErrorIds.ParameterConflict) { RecommendedAction = "Use -Quiet for a yes/no answer or -PassThru for the problem objects." },
                null));
        }
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case ContentSet:
                AcceptContent(Content);
                break;
            default:
                var literal = ParameterSetName == LiteralPathSet;
                foreach (var path in literal ? LiteralPath : Path)
                {
                    foreach (var file in ProviderPaths.ResolveFiles(this, path, literal))
                    {
                        TestFile(file);
                    }
                }
                break;
        }
    }

    protected override void EndProcessing() => FlushPendingLines();

    /// <summary>
    /// Whole texts (from <c>Get-Content -Raw</c> or a here-string) are tested one by one. Single lines (from plain
    /// <c>Get-Content</c>) are collected and tested as one text at the end, so a file piped line by line still
    /// reads as the YAML stream it is.
    /// </summary>
    private void AcceptContent(string text)
    {
        if (text.Contains('\n'))
        {
            FlushPendingLines();
            TestText(text, NextContentName());
        }
        else
        {
            _pendingLines.Append(text).Append('\n');
        }
    }

    private void FlushPendingLines()
    {
        if (_pendingLines.Length == 0)
        {
            return;
        }
        var text = _pendingLines.ToString();
        _pendingLines.Clear();
        TestText(text, NextContentName());
    }

    private string NextContentName() => ++_contentCount == 1 ? "(content)" : $"(content {_contentCount})";

    private void TestFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorRecords.Create(CmdletErrorIds.ManifestUnreadable, ErrorCategory.ReadError, file,
                $"Cannot read manifest file '{file}': {ex.Message}", "Check that the file exists and is readable.", ex));
            return;
        }
        TestText(text, file);
    }

    private void TestText(string text, string source)
    {
        foreach (var document in ManifestSerializer.Parse(text, source))
        {
            var problems = ManifestProblems.Of(document, source);
            if (Quiet)
            {
                WriteObject(problems.All(p => p.Severity != ProblemSeverity.Error));
                continue;
            }
            foreach (var problem in problems)
            {
                if (problem.Severity == ProblemSeverity.Error)
                {
                    WriteError(ManifestProblems.ToErrorRecord(problem));
                }
                else
                {
                    WriteWarning(ManifestProblems.Describe(problem));
                }
                if (PassThru)
                {
                    WriteObject(problem);
                }
            }
        }
    }
}
