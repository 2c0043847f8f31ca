using System.Management.Automation;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>Get-KubeOSSandbox: the sandboxes this session started that are still running, oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "KubeOSSandbox")]
[OutputType(typeof(SandboxInfo))]
public sealed class GetKubeOSSandboxCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SandboxNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var running = SandboxRegistry.ForCurrentRunspace()?.Running() ?? [];
        foreach (var sandbox in SandboxSelection.Select(this, running, Name))
        {
            WriteObject(sandbox.Info);
        }
    }
}

/// <summary>Name matching shared by Get- and Stop-KubeOSSandbox: wildcards select, a plain name that matches nothing is an error.</summary>
public static class SandboxSelection
{
    public static IEnumerable<RunningSandbox> Select(PSCmdlet cmdlet, IReadOnlyList<RunningSandbox> running, string[]? names)
    {
        if (names is null || names.Length == 0)
        {
            return running;
        }
        var selected = new List<RunningSandbox>();
        foreach (var name in names)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = running.Where(s => pattern.IsMatch(s.Info.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                cmdlet.WriteError(NotFound(name, name));
            }
            selected.AddRange(matches.Where(m => !selected.Contains(m)));
        }
        return selected;
    }

    public static ErrorRecord NotFound(string name, object target) =>
        ErrorRecords.Create(ClusterErrorIds.SandboxNotFound, ErrorCategory.ObjectNotFound, target,
            $"This session runs no sandbox named '{name}'.",
            "Run Get-KubeOSSandbox to list this session's sandboxes; a sandbox can only be managed from the session that started it.");
}
