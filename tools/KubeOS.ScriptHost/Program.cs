using KubeOS.ScriptHost;

HostOptions options;
try
{
    options = HostOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"kubeos-pwsh: {ex.Message}");
    return 2;
}

// Colours and other escape sequences only when a terminal is reading; redirected output stays plain text.
var runner = new ScriptRunner(Console.In, Console.Out, Console.Error, supportsVirtualTerminal: !Console.IsOutputRedirected);
return runner.Run(options);
