using System.Text.RegularExpressions;
using KubeOS.Api.Models;

namespace KubeOS.Api.Validation;

/// <summary>
/// Time window rules. Daily values may be written HH:MM:SS (KubeOS) or HH:MM (as KubeOS's samples do); absolute
/// values are YYYY-MM-DD HH:MM:SS. Both ends use the same format; both empty means "always open".
/// </summary>
internal static partial class TimeWindowRules
{
    public const int AbsoluteLength = 19;

    public static void Check(TimeWindow window, string path, ProblemCollector c)
    {
        var startPath = path + ".starttime";
        var endPath = path + ".endtime";
        var start = window.StartTime;
        var end = window.EndTime;
        const string fix = "Write the time as HH:MM, HH:MM:SS (daily) or YYYY-MM-DD HH:MM:SS (absolute), for example \"22:00\".";

        if (start is null) c.Required(startPath, "Add starttime, or remove timewindow to allow operations at any time.");
        else if (!IsValid(start)) c.Error(startPath, $"is not a valid time, got {ProblemCollector.Quote(start)}", fix, ErrorIds.InvalidTimeWindow);
        if (end is null) c.Required(endPath, "Add endtime, or remove timewindow to allow operations at any time.");
        else if (!IsValid(end)) c.Error(endPath, $"is not a valid time, got {ProblemCollector.Quote(end)}", fix, ErrorIds.InvalidTimeWindow);
        if (start is null || end is null) return;

        if (start.Length == 0 && end.Length > 0)
            c.Error(startPath, "must be set when endtime is set", "Set starttime too, or clear both to allow any time.", ErrorIds.InvalidTimeWindow);
        if (end.Length == 0 && start.Length > 0)
            c.Error(endPath, "must be set when starttime is set", "Set endtime too, or clear both to allow any time.", ErrorIds.InvalidTimeWindow);
        if (start.Length == 0 || end.Length == 0) return;

        if (start.Length != end.Length)
            c.Error(endPath, $"must use the same format as starttime, got starttime {ProblemCollector.Quote(start)} and endtime {ProblemCollector.Quote(end)}",
                "Write both times in the same format.", ErrorIds.InvalidTimeWindow);
        if (start == end)
            c.Error(endPath, $"must differ from starttime, both are {ProblemCollector.Quote(start)}",
                "Give the window a length; a daily window may wrap midnight (22:00 to 04:00).", ErrorIds.InvalidTimeWindow);
        else if (start.Length == AbsoluteLength && end.Length == AbsoluteLength && string.CompareOrdinal(end, start) < 0)
            c.Error(endPath, $"must be after starttime for an absolute window, got {ProblemCollector.Quote(start)} to {ProblemCollector.Quote(end)}",
                "Swap the two times or correct the date.", ErrorIds.InvalidTimeWindow);
    }

    /// <summary>Empty, daily HH:MM[:SS] or absolute YYYY-MM-DD HH:MM:SS with real clock values.</summary>
    public static bool IsValid(string value) => Clock().IsMatch(value);

    // Same expression as the CRD's pattern, so both reject the same values.
    [GeneratedRegex(@"^$|^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$|^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]
    private static partial Regex Clock();
}
