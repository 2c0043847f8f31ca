using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeOS.PowerShell.Cluster;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>Completes -Name of the sandbox cmdlets with this session's running sandboxes.</summary>
public sealed class SandboxNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = CompletionText.PrefixPattern(wordToComplete);
        return (SandboxRegistry.ForCurrentRunspace()?.Running() ?? [])
            .Where(s => pattern.IsMatch(s.Info.Name))
            .Select(s => new CompletionResult(CompletionText.Quote(s.Info.Name), s.Info.Name, CompletionResultType.ParameterValue,
                $"{s.Info.Name}: {s.Info.Nodes} node(s) at {s.Info.Endpoint}"))
            .ToList();
    }
}
