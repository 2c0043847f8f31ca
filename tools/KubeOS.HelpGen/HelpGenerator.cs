using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KubeOS.HelpGen;

/// <summary>Loads the module in the real engine, pairs each exported cmdlet with its markdown, writes the help.</summary>
public static class HelpGenerator
{
    public const string ErrorCode = "KOSHELP";

    public static int Run(FileInfo manifest, DirectoryInfo docs, DirectoryInfo output, TextWriter log)
    {
        // The runspace stays open while the metadata is read: CmdletInfo resolves parameter sets lazily.
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        var cmdlets = ImportModule(runspace, manifest.FullName);
        var problems = new List<(string File, string Message)>();
        var pages = new List<(CmdletInfo Cmdlet, HelpDocument Doc)>();

        foreach (var cmdlet in cmdlets)
        {
            var file = Path.Combine(docs.FullName, cmdlet.Name + ".md");
            if (!File.Exists(file))
            {
                problems.Add((file, $"{cmdlet.Name}: no help page; write it in PlatyPS format (New-MarkdownHelp)"));
                continue;
            }
            var doc = MarkdownHelpReader.Read(File.ReadAllText(file), file);
            problems.AddRange(DriftCheck.Compare(cmdlet, doc).Select(p => (file, $"{cmdlet.Name}: {p}")));
            pages.Add((cmdlet, doc));
        }

        var exported = cmdlets.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var page in docs.GetFiles("*.md").Where(f => !f.Name.StartsWith("about_", StringComparison.OrdinalIgnoreCase)))
        {
            var name = Path.GetFileNameWithoutExtension(page.Name);
            if (!exported.Contains(name))
            {
                problems.Add((page.FullName, $"documents '{name}', which the module does not export; delete the page or export the cmdlet"));
            }
        }

        if (problems.Count > 0)
        {
            // MSBuild's canonical error format, so the build shows each line as an error pointing at the page.
            foreach (var (file, message) in problems)
            {
                log.WriteLine($"{file} : error {ErrorCode}: {message}");
            }
            return 1;
        }

        output.Create();
        var assemblyName = cmdlets.Select(c => Path.GetFileName(c.ImplementingType.Assembly.Location)).FirstOrDefault()
            ?? Path.GetFileNameWithoutExtension(manifest.Name) + ".dll";
        var mamlPath = Path.Combine(output.FullName, assemblyName + "-help.xml");
        MamlWriter.Write(pages, mamlPath);
        log.WriteLine($"helpgen: wrote {mamlPath} ({pages.Count} cmdlets)");

        foreach (var about in docs.GetFiles("about_*.md"))
        {
            var target = Path.Combine(output.FullName, Path.GetFileNameWithoutExtension(about.Name) + ".help.txt");
            File.WriteAllText(target, AboutTopicWriter.Convert(File.ReadAllText(about.FullName)));
            log.WriteLine($"helpgen: wrote {target}");
        }
        return 0;
    }

    private static List<CmdletInfo> ImportModule(Runspace runspace, string manifestPath)
    {
        using var ps = PowerShell.Create(runspace);
        // A full path: Import-Module with a relative path may look the name up in PSModulePath instead.
        var module = ps.AddCommand("Import-Module").AddParameter("Name", manifestPath).AddParameter("PassThru")
            .AddParameter("ErrorAction", "Stop").Invoke<PSModuleInfo>().Single();
        return module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }
}
