using System.Management.Automation;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>Everything one script run produced, stream by stream.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<InformationRecord> Information,
    IReadOnlyList<ProgressRecord> Progress,
    string HostText,
    RuntimeException? Terminating)
{
    public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId);

    /// <summary>The output objects' base objects, for plain .NET assertions.</summary>
    public IEnumerable<T> OutputOf<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    public override string ToString() =>
        $"output: {Output.Count}, errors: [{string.Join("; ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"))}], " +
        $"warnings: [{string.Join("; ", Warnings)}], terminating: {Terminating?.ErrorRecord.FullyQualifiedErrorId} {Terminating?.Message}\n{HostText}";
}
