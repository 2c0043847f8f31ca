using System.Management.Automation.Language;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Scripts;

/// <summary>pwsh is not available in CI, so every .ps1/.psm1/.psd1 in the repository is at least parsed.</summary>
public sealed class ScriptSyntaxTests
{
    private static readonly string[] SkippedFolders = ["out", "bin", "obj", "node_modules", ".git", "artifacts"];

    public static TheoryData<string> Scripts => new(
        Directory.EnumerateFiles(RepoPaths.Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1") || f.EndsWith(".psd1"))
            .Where(f => !Path.GetRelativePath(RepoPaths.Root, f).Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Parses_without_syntax_errors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0,
            string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
    }

    [Fact]
    public void The_build_script_is_among_the_parsed_files()
    {
        Assert.Contains("build.ps1", Scripts.Select(row => row.Data));
    }
}
