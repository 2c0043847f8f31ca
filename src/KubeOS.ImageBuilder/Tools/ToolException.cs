namespace KubeOS.ImageBuilder.Tools;

/// <summary>A host tool failed; the message carries the command line, exit code and the tail of its output.</summary>
public sealed class ToolException(string message) : Exception(message);
