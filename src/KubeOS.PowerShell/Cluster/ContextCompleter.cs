using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KubeOS.PowerShell.Cluster;

/// <summary>Completes -Context with the contexts of the kubeconfig the command would use (its -Kubeconfig if typed).</summary>
public sealed class ContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var source = ClusterResolver.SourceForCompletion(fakeBoundParameters["Kubeconfig"] as string);
        if (source is null)
        {
            return [];
        }
        var pattern = CompletionText.PrefixPattern(wordToComplete);
        return Client.Configuration.KubeconfigLoader.ContextNames(source)
            .Where(pattern.IsMatch)
            .Select(name => new CompletionResult(CompletionText.Quote(name), name, CompletionResultType.ParameterValue, $"context {name} ({source.Describe()})"))
            .ToList();
    }
}

/// <summary>What completers share: matching what was typed so far, quoting what they offer.</summary>
public static class CompletionText
{
    public static WildcardPattern PrefixPattern(string? wordToComplete) =>
        WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);

    public static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}[]@#&|<>".Contains(c)) ? "'" + value.Replace("'", "''") + "'" : value;
}
