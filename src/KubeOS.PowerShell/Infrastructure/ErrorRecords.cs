using System.Management.Automation;

namespace KubeOS.PowerShell.Infrastructure;

/// <summary>
/// Builds ErrorRecords the same way for every cmdlet: the exception carries the stable id and category, the target
/// object is what the error is about, and the fix goes into RecommendedAction where Get-Error and $Error show it.
/// </summary>
public static class ErrorRecords
{
    public static ErrorRecord From(KubeOSException exception, object? targetObject)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, exception.Category, targetObject);
        if (!string.IsNullOrEmpty(exception.RecommendedAction))
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
        }
        return record;
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, object? targetObject, string message,
        string? recommendedAction = null, Exception? innerException = null) =>
        From(new KubeOSException(message, errorId, category, innerException) { RecommendedAction = recommendedAction },
            targetObject);
}
