namespace KubeOS.ScriptHost;

/// <summary>
/// Command line: <c>kubeos-pwsh [-Module &lt;psd1&gt;]... (-Command &lt;text&gt; | &lt;file.ps1&gt; [script arguments...])</c>.
/// Parsed by hand on purpose: as with <c>pwsh -File</c>, everything after the script path belongs to the script,
/// including tokens like <c>-Name</c> that a general-purpose parser would claim as its own options.
/// </summary>
public sealed record HostOptions(IReadOnlyList<string> Modules, string? Command, string? ScriptPath, IReadOnlyList<string> ScriptArguments)
{
    public const string Usage = "usage: kubeos-pwsh [-Module <path.psd1>]... (-Command <script text> | <file.ps1> [arguments...])"
        + " (KUBEOS_MODULE_ROOT overrides the folder searched for Import-Module KubeOS)";

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var modules = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (IsOption(arg, "-Module", "-m"))
            {
                modules.Add(Value(args, ++i, arg));
            }
            else if (IsOption(arg, "-Command", "-c"))
            {
                var text = string.Join(" ", args.Skip(i + 1));
                return text.Length == 0 ? throw new ArgumentException($"{arg} needs script text. {Usage}") : new HostOptions(modules, text, null, []);
            }
            else if (arg.StartsWith('-'))
            {
                throw new ArgumentException($"unknown option '{arg}'. {Usage}");
            }
            else
            {
                return new HostOptions(modules, null, arg, args.Skip(i + 1).ToList());
            }
        }
        throw new ArgumentException($"no script given. {Usage}");
    }

    private static bool IsOption(string arg, params string[] names) =>
        names.Any(n => n.Equals(arg, StringComparison.OrdinalIgnoreCase) || ("-" + n).Equals(arg, StringComparison.OrdinalIgnoreCase));

    private static string Value(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{option} needs a value. {Usage}");
}
