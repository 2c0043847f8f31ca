namespace KubeOS.Agent.Images;

/// <summary>The payload does not fit in the standby root partition.</summary>
public sealed class ImageTooLargeException(string message) : IOException(message);
