namespace KubeOS.PowerShell.Sandbox;

/// <summary>Where the packaged module keeps the sandbox: a sandbox/ folder next to the module's assembly.</summary>
public static class SandboxFiles
{
    public static string Folder { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(SandboxFiles).Assembly.Location) ?? AppContext.BaseDirectory, "sandbox");

    public static string EntryAssembly { get; } = Path.Combine(Folder, "kubeos-sandbox.dll");
}
