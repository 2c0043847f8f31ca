namespace KubeOS.Sandbox.Resources;

/// <summary>
/// The set of served resources. Built-ins are fixed; custom resources come and go with their CRDs. Readers get an
/// immutable snapshot so discovery and routing never see a half-registered CRD.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly object _gate = new();
    private IReadOnlyList<ResourceType> _all;

    public ResourceCatalog(IEnumerable<ResourceType> builtins) => _all = builtins.ToList();

    public IReadOnlyList<ResourceType> All => Volatile.Read(ref _all);

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var t in All)
            if (t.Plural == plural && t.Group == group && t.Version == version) return t;
        return null;
    }

    /// <summary>Any served version of group/plural: the store keeps one copy per group/resource.</summary>
    public ResourceType? FindAnyVersion(string group, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Plural == plural);

    public bool ServesGroupVersion(string group, string version) =>
        All.Any(t => t.Group == group && t.Version == version);

    /// <summary>Groups in the order kube-apiserver lists them (built-ins first, then CRD groups by name), with versions.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var g in All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct())
        {
            var versions = All.Where(t => t.Group == g).Select(t => t.Version).Distinct()
                .OrderByDescending(VersionPriority).ToList();
            result.Add((g, versions));
        }
        return result;
    }

    /// <summary>Replaces every version of group/plural with the given ones (CRD create, update, delete).</summary>
    public void ReplaceCustom(string group, string plural, IEnumerable<ResourceType> served)
    {
        lock (_gate)
        {
            var next = _all.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
            next.AddRange(served);
            Volatile.Write(ref _all, next);
        }
    }

    /// <summary>Kubernetes version ordering: GA before beta before alpha, higher numbers first.</summary>
    public static int VersionPriority(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success) return 0;
        var major = int.Parse(m.Groups[1].Value);
        var stage = m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        var minor = m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0;
        return stage * 1_000_000 + major * 1000 + minor;
    }
}
