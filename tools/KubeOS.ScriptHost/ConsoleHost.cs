using System.Globalization;
using System.Management.Automation.Host;

namespace KubeOS.ScriptHost;

/// <summary>The PSHost the engine talks to: identity, culture, and the exit code a top-level <c>exit N</c> asks for.</summary>
public sealed class ConsoleHost : PSHost
{
    private readonly ConsoleHostUserInterface _ui;

    public ConsoleHost(TextReader input, TextWriter output, TextWriter error, bool supportsVirtualTerminal)
    {
        _ui = new ConsoleHostUserInterface(input, output, error, supportsVirtualTerminal);
    }

    public int? ExitCode { get; private set; }

    public override string Name => "kubeos-pwsh";
    public override Version Version { get; } = typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    // This host runs one script and has no interactive loop to nest into.
    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("kubeos-pwsh runs scripts non-interactively and has no nested prompt.");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("kubeos-pwsh runs scripts non-interactively and has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
