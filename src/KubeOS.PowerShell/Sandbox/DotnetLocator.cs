namespace KubeOS.PowerShell.Sandbox;

/// <summary>Finds the <c>dotnet</c> host that runs the sandbox, the way a shell would: the first match on PATH.</summary>
public static class DotnetLocator
{
    public static string ExecutableName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <summary>The full path of dotnet on <paramref name="pathVariable"/>, else in <paramref name="dotnetRoot"/>, else null.</summary>
    public static string? Find(string? pathVariable, string? dotnetRoot)
    {
        var folders = (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var folder in folders.Append(dotnetRoot ?? ""))
        {
            if (folder.Length == 0)
            {
                continue;
            }
            var candidate = Path.Combine(folder, ExecutableName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public static string? FindFromEnvironment() =>
        Find(Environment.GetEnvironmentVariable("PATH"), Environment.GetEnvironmentVariable("DOTNET_ROOT"));
}
