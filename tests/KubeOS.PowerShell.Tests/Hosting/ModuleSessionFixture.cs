namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>One engine session with the module imported, shared by the tests of a class (they run one at a time).</summary>
public sealed class ModuleSessionFixture : IDisposable
{
    public PowerShellSession Session { get; } = new();

    public void Dispose() => Session.Dispose();
}
