using System.Management.Automation;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>Something that stops an admin container session on one node; the cmdlets turn it into an ErrorRecord.</summary>
public sealed class AdminContainerException(string message, string errorId, ErrorCategory category, Exception? innerException = null)
    : KubeOSException(message, errorId, category, innerException);
