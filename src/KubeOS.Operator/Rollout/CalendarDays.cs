using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>spec.timewindow.weekdays as a set of days; null when every day is allowed.</summary>
public static class CalendarDays
{
    public static IReadOnlySet<DayOfWeek>? Parse(IReadOnlyList<string>? names, out string? error)
    {
        error = null;
        if (names is not { Count: > 0 }) return null;
        var days = new HashSet<DayOfWeek>();
        foreach (var name in names)
        {
            if (Weekdays.Parse(name) is not { } day)
            {
                error = $"spec.timewindow.weekdays: \"{name}\" is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun";
                return null;
            }
            days.Add(day);
        }
        return days;
    }

    /// <summary>" on Mon, Wed" or "".</summary>
    public static string Describe(IReadOnlySet<DayOfWeek>? days) =>
        days is null ? "" : " on " + string.Join(", ", days.OrderBy(d => ((int)d + 6) % 7).Select(Weekdays.Short));
}
