using System.Management.Automation;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>
/// Stop-KubeOSSandbox: shuts sandboxes down (stdin closed, then killed if they linger) and removes their temporary
/// files. Without -Name or -InputObject it stops every sandbox of the session.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "KubeOSSandbox", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(void))]
public sealed class StopKubeOSSandboxCommand : PSCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SandboxNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public SandboxInfo[] InputObject { get; set; } = [];

    protected override void ProcessRecord()
    {
        var registry = SandboxRegistry.ForCurrentRunspace();
        var running = registry?.Running() ?? [];
        IEnumerable<RunningSandbox> selected;
        if (ParameterSetName == InputObjectSet)
        {
            var found = new List<RunningSandbox>();
            foreach (var info in InputObject)
            {
                var match = running.FirstOrDefault(s => s.Info.ProcessId == info.ProcessId && s.Info.Name == info.Name);
                if (match is null)
                {
                    WriteError(SandboxSelection.NotFound(info.Name, info));
                    continue;
                }
                found.Add(match);
            }
            selected = found;
        }
        else
        {
            selected = SandboxSelection.Select(this, running, Name);
        }

        foreach (var sandbox in selected)
        {
            if (!ShouldProcess($"{sandbox.Info.Name} (process {sandbox.Info.ProcessId})", "Stop KubeOS sandbox"))
            {
                continue;
            }
            var clean = registry!.Stop(sandbox, Grace);
            WriteVerbose(clean
                ? $"Sandbox '{sandbox.Info.Name}' stopped; removed {sandbox.Process.Directory}."
                : $"Sandbox '{sandbox.Info.Name}' did not stop within {Grace.TotalSeconds:0} s and was killed; removed {sandbox.Process.Directory}.");
        }
    }
}
