using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Scripts;

/// <summary>
/// pwsh and Pester do not run here, so the examples and the Pester suite are checked statically against the packaged
/// module: every KubeOS command they call, mock or assert on must use parameter names (or aliases) the command has,
/// and every variable a -ParameterFilter reads must be one of the mocked command's parameters. A KubeOS command the
/// module does not export is a failure too: a typo in a command name would otherwise go unnoticed until pwsh runs it.
/// </summary>
public sealed partial class ScriptCommandUsageTests(ModuleSessionFixture fixture) : IClassFixture<ModuleSessionFixture>
{
    private static readonly string[] Automatic = ["_", "true", "false", "null", "args", "this", "PSBoundParameters", "input"];

    public static IEnumerable<string> ScannedFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "examples"), "*.ps1", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "Pester"), "*.ps*1", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .Order(StringComparer.Ordinal);

    /// <summary>One use of a KubeOS command: the parameter names written, or the variables a -ParameterFilter reads.</summary>
    public sealed record Usage(string File, int Line, string Command, IReadOnlyList<string> Parameters, bool IsFilter);

    [Fact]
    public void Every_KubeOS_command_the_examples_and_Pester_files_use_exists_with_those_parameters()
    {
        var exported = ExportedParameters();
        var files = ScannedFiles().ToList();
        var defined = files.SelectMany(f => FunctionsDefinedIn(Path.Combine(RepoPaths.Root, f))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var usages = files.SelectMany(f => Uses(f, defined)).ToList();
        Assert.Contains(usages, u => u.Command == "Get-KubeOSNode" && u.File.StartsWith("tests/Pester"));

        var problems = new List<string>();
        var missing = new SortedDictionary<string, List<Usage>>(StringComparer.Ordinal);
        foreach (var use in usages)
        {
            if (!exported.TryGetValue(use.Command, out var parameters))
            {
                if (!missing.TryGetValue(use.Command, out var where)) missing[use.Command] = where = [];
                where.Add(use);
                continue;
            }
            foreach (var name in use.Parameters.Where(p => !parameters.Contains(p)))
            {
                problems.Add(use.IsFilter
                    ? $"{use.File}:{use.Line}: the -ParameterFilter of {use.Command} reads ${name}, which is not a parameter of {use.Command}"
                    : $"{use.File}:{use.Line}: {use.Command} has no parameter -{name}");
            }
        }

        foreach (var (command, where) in missing)
        {
            var places = where.OrderBy(u => u.File, StringComparer.Ordinal).ThenBy(u => u.Line).Select(u => $"{u.File}:{u.Line}").Distinct();
            problems.Add($"{command} is used but not exported by the module: {string.Join(", ", places)}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_check_finds_a_wrong_parameter_name_an_unknown_filter_variable_and_a_missing_command()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("kubeos-usage-").FullName, "Broken.Tests.ps1");
        File.WriteAllText(file, """
            $expected = 'node-1'
            Get-KubeOSNode -NodeNames node-1 -Verbose
            Mock Get-KubeOSNode { } -ParameterFilter { $Name -eq $expected -and $Nmae }
            Should -Invoke -ModuleName Mine Stop-KubeOSEverything -Times 1
            function Get-KubeOSHelperOfMine { param($Name) $Name }
            Get-KubeOSHelperOfMine -Name x
            """);
        try
        {
            var usages = Uses(file, FunctionsDefinedIn(file).ToHashSet(StringComparer.OrdinalIgnoreCase)).ToList();

            Assert.Equal(
                [
                    ("Get-KubeOSNode", "NodeNames,Verbose", false),
                    ("Get-KubeOSNode", "Name,Nmae", true),
                    ("Stop-KubeOSEverything", "", false),
                ],
                usages.Select(u => (u.Command, string.Join(",", u.Parameters), u.IsFilter)));
            var exported = ExportedParameters();
            Assert.Contains("NodeName", exported["Get-KubeOSNode"]);
            Assert.DoesNotContain("NodeNames", exported["Get-KubeOSNode"]);
            Assert.DoesNotContain("Nmae", exported["Get-KubeOSNode"]);
            Assert.False(exported.ContainsKey("Stop-KubeOSEverything"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>Command name → its parameter names and aliases (common parameters included), from the imported module.</summary>
    private Dictionary<string, HashSet<string>> ExportedParameters()
    {
        var result = fixture.Session.Run("""
            Get-Command -Module KubeOS | ForEach-Object {
                $names = foreach ($p in $_.Parameters.Values) { $p.Name; $p.Aliases }
                "$($_.Name)|$($names -join ',')"
            }
            """);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        return result.Output.Select(o => o.ToString().Split('|'))
            .ToDictionary(p => p[0], p => p[1].Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> FunctionsDefinedIn(string path) =>
        Parser.ParseFile(path, out _, out _).FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name);

    /// <param name="defined">Functions the scanned files define themselves (helpers, a module of one's own): not the module's.</param>
    private static IEnumerable<Usage> Uses(string relativePath, IReadOnlySet<string> defined)
    {
        var path = Path.Combine(RepoPaths.Root, relativePath);
        var ast = Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);
        var assigned = AssignedVariables(ast);
        foreach (var command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
        {
            var name = command.GetCommandName();
            if (name is null)
            {
                continue;
            }
            var line = command.Extent.StartLineNumber;
            if (name.Equals("Mock", StringComparison.OrdinalIgnoreCase) || name.Equals("Should", StringComparison.OrdinalIgnoreCase))
            {
                // Mock X { } -ParameterFilter { ... } and Should -Invoke X -ParameterFilter { ... }.
                var target = command.CommandElements.Skip(1).OfType<StringConstantExpressionAst>()
                    .Select(s => s.Value).FirstOrDefault(v => KubeOSCommand().IsMatch(v) && !defined.Contains(v));
                if (target is null)
                {
                    continue;
                }
                var filter = FilterOf(command);
                var read = filter?.FindAll(a => a is VariableExpressionAst, true).Cast<VariableExpressionAst>()
                    .Where(v => !v.VariablePath.IsDriveQualified && v.VariablePath.IsUnqualified)
                    .Select(v => v.VariablePath.UserPath)
                    .Where(v => !Automatic.Contains(v, StringComparer.OrdinalIgnoreCase) && !assigned.Contains(v))
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                yield return new Usage(relativePath, line, target, read ?? [], IsFilter: read is not null);
            }
            else if (KubeOSCommand().IsMatch(name) && !defined.Contains(name))
            {
                var parameters = command.CommandElements.OfType<CommandParameterAst>().Select(p => p.ParameterName).ToList();
                yield return new Usage(relativePath, line, name, parameters, IsFilter: false);
            }
        }
    }

    private static ScriptBlockAst? FilterOf(CommandAst command)
    {
        var elements = command.CommandElements;
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst { ParameterName: var p } parameter && p.Equals("ParameterFilter", StringComparison.OrdinalIgnoreCase))
            {
                var argument = parameter.Argument ?? (i + 1 < elements.Count ? elements[i + 1] : null);
                return (argument as ScriptBlockExpressionAst)?.ScriptBlock;
            }
        }
        return null;
    }

    // Variables the file defines outside functions (assignments, its parameters, loop variables) may appear in a filter
    // as closures; a function's own parameters and locals are not visible there.
    private static HashSet<string> AssignedVariables(Ast ast)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in ast.FindAll(a => a is AssignmentStatementAst or ParameterAst or ForEachStatementAst && !InsideFunction(a), true))
        {
            var variable = a switch
            {
                AssignmentStatementAst s => s.Left as VariableExpressionAst ?? (s.Left as ConvertExpressionAst)?.Child as VariableExpressionAst,
                ParameterAst p => p.Name,
                ForEachStatementAst f => f.Variable,
                _ => null,
            };
            if (variable is not null)
            {
                names.Add(variable.VariablePath.UserPath.Split(':')[^1]);
            }
        }
        return names;
    }

    private static bool InsideFunction(Ast ast)
    {
        for (var parent = ast.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is FunctionDefinitionAst) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z]+-KubeOS[A-Za-z]*$")]
    private static partial Regex KubeOSCommand();
}
