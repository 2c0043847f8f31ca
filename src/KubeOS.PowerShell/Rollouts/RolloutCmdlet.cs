using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Base of the cmdlets that read, write and wait on OS objects: finding the OS a command means, validating what is
/// about to be written (nothing is written when a rule fails), writing it, and waiting with progress.
/// </summary>
public abstract class RolloutCmdlet : ClusterCmdlet
{
    /// <summary>Reads one rollout; null when the OS does not exist.</summary>
    protected KubeOSUpgrade? Read(string @namespace, string name) =>
        CallCluster((cluster, ct) => RolloutReader.ReadAsync(cluster, @namespace, name, ct), $"{@namespace}/{name}");

    /// <summary>
    /// The OS object a write goes to: the one named, else the one of the namespace that already selects these nodes
    /// (two OS objects with the same nodeselector stall each other, so they are never created), else a new one.
    /// </summary>
    protected (string Name, OS? Existing) ResolveTarget(string? name, string @namespace, string selector)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return (name, CallCluster((cluster, ct) => cluster.OS.GetAsync(@namespace, name, ct), $"{@namespace}/{name}"));
        }
        var all = CallCluster((cluster, ct) => RolloutReader.ListAsync(cluster, @namespace, ct), @namespace);
        if (all is null)
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.KubeOSResourcesNotInstalled, ErrorCategory.ResourceUnavailable, Cluster.Server,
                $"The cluster {Cluster.Server} does not serve OS objects: KubeOS is not installed.",
                "Install KubeOS on the cluster (Install-KubeOSOperator), or start a sandbox without -WithoutOperator."));
        }
        var existing = all!.Where(o => RolloutReader.SelectorOf(o) == selector).OrderBy(o => o.Metadata?.Name, StringComparer.Ordinal).FirstOrDefault();
        return existing is not null ? (existing.Metadata!.Name!, existing) : (DefaultName(selector), null);
    }

    /// <summary>
    /// kubeos for nodes without a group, kubeos-all for all-label, kubeos-&lt;group&gt; otherwise (the group itself when it
    /// already starts with kubeos-).
    /// </summary>
    internal static string DefaultName(string selector)
    {
        if (selector == WellKnown.NodeSelectors.NoLabel) return "kubeos";
        if (selector == WellKnown.NodeSelectors.AllLabel) return "kubeos-all";
        var chars = selector.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray();
        var group = new string(chars).Trim('-');
        var name = group.StartsWith("kubeos-", StringComparison.Ordinal) ? group : "kubeos-" + group;
        return name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }

    /// <summary>A copy of an OS spec to change; the fields the command does not set keep their values.</summary>
    protected static OSSpec CopyOf(OSSpec? spec) =>
        spec is null ? new OSSpec() : ManifestSerializer.Bind<OSSpec>(ManifestSerializer.ToNode(spec)!);

    /// <summary>
    /// Stops with InvalidRolloutParameter when <paramref name="os"/> breaks a rule, naming each field, the parameter
    /// that sets it and the fix. Warnings are written and do not stop.
    /// </summary>
    protected void Validate(OS os, Func<string, string?> parameterFor)
    {
        var problems = ManifestValidator.Validate(os);
        foreach (var warning in problems.Where(p => !p.IsError))
        {
            WriteWarning($"{warning} {warning.Fix}");
        }
        var errors = problems.Where(p => p.IsError).ToList();
        if (errors.Count == 0) return;
        var lines = errors.Select(p => $"  {p}{Environment.NewLine}    " +
                                       (parameterFor(p.Path) is { } parameter ? $"Change -{parameter}: " : "") + p.Fix +
                                       AlsoMentioned(p, parameterFor));
        var parameters = errors.Select(p => parameterFor(p.Path) is { } n ? "-" + n : p.Path).Distinct().ToList();
        ThrowTerminatingError(ErrorRecords.From(
            new InvalidManifestException(
                $"Nothing was written: the OS object {os.Metadata?.Namespace}/{os.Metadata?.Name} would be invalid:{Environment.NewLine}" +
                string.Join(Environment.NewLine, lines),
                RolloutErrorIds.InvalidRolloutParameter, ErrorCategory.InvalidArgument)
            {
                RecommendedAction = $"Change {string.Join(", ", parameters)} as described above.",
            },
            os));
    }

    // The rules speak in manifest fields ("set flagSafe: true"); name the parameters that set the fields they mention.
    private static readonly System.Text.RegularExpressions.Regex FieldNames = new(
        @"\b(flagSafe|mtls|cacert|clientcert|clientkey|checksum|imageurl|containerimage|imagetype|maxunavailable|nodeselector|timewindow|timeinterval|executionmode|evictpodforce)\b");

    private static string AlsoMentioned(ValidationProblem problem, Func<string, string?> parameterFor)
    {
        var own = parameterFor(problem.Path);
        var others = FieldNames.Matches(problem.Message + " " + problem.Fix).Select(m => parameterFor("spec." + m.Value))
            .OfType<string>().Where(p => p != own).Distinct().ToList();
        return others.Count == 0 ? "" : $" (see {string.Join(", ", others.Select(o => "-" + o))})";
    }

    /// <summary>Creates the OS, or merge-patches the existing one so its spec becomes exactly <paramref name="os"/>'s.</summary>
    protected KubeOSUpgrade Write(OS os, OS? existing)
    {
        var ns = os.Metadata!.Namespace!;
        var name = os.Metadata!.Name!;
        CallCluster(async (cluster, ct) =>
        {
            if (existing is null)
            {
                return await cluster.OS.CreateAsync(os, ct).ConfigureAwait(false);
            }
            var spec = ManifestSerializer.ToNode(os.Spec!)!.AsObject();
            // A merge patch keeps what it does not mention: fields dropped from the spec are removed explicitly.
            if (existing.Spec is not null && ManifestSerializer.ToNode(existing.Spec) is JsonObject old)
            {
                foreach (var (key, _) in old.Where(p => !spec.ContainsKey(p.Key)).ToList())
                {
                    spec[key] = null;
                }
            }
            return await cluster.OS.PatchAsync(ns, name, new JsonObject { ["spec"] = spec }, ct).ConfigureAwait(false);
        }, $"{ns}/{name}");
        return Read(ns, name)!;
    }

    /// <summary>A non-terminating UpgradeNotFound for a name that matches no OS object.</summary>
    protected void WriteNotFound(string @namespace, string name) =>
        WriteError(ErrorRecords.Create(RolloutErrorIds.UpgradeNotFound, ErrorCategory.ObjectNotFound, name,
            $"The namespace {@namespace} of {Cluster.Server} has no OS object named '{name}'.",
            "Run Get-KubeOSUpgrade to list the OS objects, or give -Namespace."));

    /// <summary>Waits until every rollout is done (see <see cref="RolloutWaiter"/>) and returns their final states.</summary>
    protected IReadOnlyList<KubeOSUpgrade> WaitFor(IReadOnlyList<KubeOSUpgrade> rollouts, int timeoutSeconds) =>
        new RolloutWaiter(WriteProgress, WriteError,
                rs => CallCluster((cluster, ct) => RolloutWaiter.RefreshAsync(cluster, rs, ct), Cluster.Server),
                delay => Await(ct => Task.Delay(delay, ct)))
            .Wait(rollouts, timeoutSeconds < 0 ? null : TimeSpan.FromSeconds(timeoutSeconds));

    /// <summary>-Wait, -AsJob or neither, then -PassThru: what the rollout cmdlets do once the OS object is written.</summary>
    protected void Follow(KubeOSUpgrade rollout, bool wait, bool asJob, bool passThru, int timeoutSeconds)
    {
        if (asJob)
        {
            StartWaitJob(rollout, timeoutSeconds);
            return;
        }
        if (wait)
        {
            rollout = WaitFor([rollout], timeoutSeconds)[0];
        }
        if (passThru)
        {
            WriteObject(rollout);
        }
    }

    /// <summary>-AsJob and -Wait both say how to wait; before anything is written, refuse the pair.</summary>
    protected void RefuseWaitWithJob(bool wait, bool asJob)
    {
        if (wait && asJob)
        {
            ThrowTerminatingError(ErrorRecords.From(
                new KubeOSParameterException("-Wait and -AsJob cannot be used together: -Wait waits here, -AsJob in a background job.",
                    CmdletErrorIds.ParameterConflict)
                { RecommendedAction = "Leave out one of them; with -AsJob, Receive-Job -Wait gives the final state." },
                null));
        }
    }

    /// <summary>
    /// -AsJob: the wait runs in a background job (Get-Job, Wait-Job, Receive-Job, Stop-Job) on its own connection; the
    /// job's output is the final state.
    /// </summary>
    protected void StartWaitJob(KubeOSUpgrade rollout, int timeoutSeconds)
    {
        var job = new RolloutJob(MyInvocation.Line, Cluster.Target, rollout, timeoutSeconds < 0 ? null : TimeSpan.FromSeconds(timeoutSeconds));
        JobRepository.Add(job);
        job.Start();
        WriteObject(job);
    }
}
