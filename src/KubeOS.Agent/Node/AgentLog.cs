namespace KubeOS.Agent.Node;

/// <summary>Line logging to stdout/stderr; journald adds time stamps and the unit name on a node.</summary>
public static class AgentLog
{
    private static readonly Lock Gate = new();

    public static void Info(string message) => Write(Console.Out, "info", message);
    public static void Warn(string message) => Write(Console.Out, "warn", message);
    public static void Error(string message) => Write(Console.Error, "error", message);

    private static void Write(TextWriter writer, string level, string message)
    {
        lock (Gate)
        {
            writer.WriteLine($"{level}: {message}");
            writer.Flush();
        }
    }
}
