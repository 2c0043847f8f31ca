using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>The properties of a KubeOS.PowerShell.KubeOSUpgrade the tests look at, read as a script would.</summary>
internal sealed record RolloutView(
    string Name, string? OpsType, string? Version, string NodeSelector, string State,
    int Selected, int Done, int InOperation, int Pending, bool Paused, string? SysConfigVersion, string[] NodeNames, string? Message)
{
    public static RolloutView From(PSObject o)
    {
        Assert.Equal("KubeOS.PowerShell.KubeOSUpgrade", o.BaseObject.GetType().FullName);
        T Get<T>(string name) => (T)o.Properties[name].Value;
        var nodes = ((System.Collections.IEnumerable)o.Properties["Nodes"].Value).Cast<object>()
            .Select(n => (string)PSObject.AsPSObject(n).Properties["Name"].Value).ToArray();
        return new RolloutView(Get<string>("Name"), Get<string?>("OpsType"), Get<string?>("Version"), Get<string>("NodeSelector"),
            Get<string>("State"), Get<int>("Selected"), Get<int>("Done"), Get<int>("InOperation"), Get<int>("Pending"),
            Get<bool>("Paused"), Get<string?>("SysConfigVersion"), nodes, Get<string?>("Message"));
    }
}

internal static class ScriptResultRollouts
{
    public static IReadOnlyList<RolloutView> Rollouts(this ScriptResult result) =>
        result.Output.Where(o => o.BaseObject.GetType().FullName == "KubeOS.PowerShell.KubeOSUpgrade").Select(RolloutView.From).ToList();
}
