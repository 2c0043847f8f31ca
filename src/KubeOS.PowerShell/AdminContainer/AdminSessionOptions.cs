namespace KubeOS.PowerShell.AdminContainer;

/// <summary>How an admin session is set up; the same for every node of one cmdlet call.</summary>
public sealed record AdminSessionOptions(string Namespace, string Image, int Port, string? Address, TimeSpan Timeout, bool Force);
