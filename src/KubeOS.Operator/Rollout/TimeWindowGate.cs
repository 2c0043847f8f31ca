using System.Globalization;
using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// KubeOS's time window: new assignments happen only while <c>start &lt; now &lt; end</c> (strict), in the operator's
/// local time. Daily windows (<c>HH:MM:SS</c>, and <c>HH:MM</c>, which KubeOS manifests in the wild use) may wrap
/// midnight; absolute windows (<c>YYYY-MM-DD HH:MM:SS</c>) may not end before they start.
/// Work already assigned is not stopped by the window closing.
/// Beyond KubeOS, a daily window may name the weekdays it opens on and an IANA time zone (absent: every day, the
/// operator's local zone), so "Tue–Thu 22:00–04:00 Europe/Berlin" holds across daylight-saving changes.
/// </summary>
public static class TimeWindowGate
{
    public sealed record Result(bool Open, string? Error, string Description);

    private static readonly string[] DailyFormats = ["HH\\:mm\\:ss", "HH\\:mm"];
    private const string AbsoluteFormat = "yyyy-MM-dd HH:mm:ss";

    public static Result Evaluate(TimeWindow? window, DateTimeOffset now, TimeZoneInfo zone)
    {
        var start = window?.StartTime ?? "";
        var end = window?.EndTime ?? "";
        if (start.Length == 0 && end.Length == 0) return new(true, null, "no time window");
        if (start.Length == 0 || end.Length == 0)
            return new(false, "spec.timewindow: starttime and endtime must both be set or both be empty", "");

        if (window!.TimeZone is { Length: > 0 } zoneId)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var named))
                return new(false, $"spec.timewindow.timezone \"{zoneId}\" is not a known IANA time zone; use a name such as Europe/Berlin", "");
            zone = named;
        }
        var days = CalendarDays.Parse(window.Weekdays, out var dayError);
        if (dayError is not null) return new(false, dayError, "");
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var dailyStart = ParseDaily(start);
        var dailyEnd = ParseDaily(end);
        if (dailyStart is not null && dailyEnd is not null)
        {
            if (dailyStart == dailyEnd) return new(false, "spec.timewindow: starttime and endtime must differ", "");
            var s = dailyStart.Value;
            var e = dailyEnd.Value;
            var t = local.TimeOfDay;
            var openedOn = local.Date;
            if (e < s)
            {
                // Wraps midnight: shift the end (and an early-morning "now") by a day, as KubeOS does.
                e += TimeSpan.FromDays(1);
                if (t < s)
                {
                    t += TimeSpan.FromDays(1);
                    openedOn = openedOn.AddDays(-1);
                }
            }
            // Weekdays name the day a window opens on, so Fri 22:00–04:00 still holds at 02:00 on Saturday.
            var open = s < t && t < e && (days is null || days.Contains(openedOn.DayOfWeek));
            return new(open, null, $"daily {start}–{end}{CalendarDays.Describe(days)} ({zone.Id})");
        }

        var absStart = ParseAbsolute(start);
        var absEnd = ParseAbsolute(end);
        if (absStart is not null && absEnd is not null)
        {
            if (absEnd <= absStart)
                return new(false, "spec.timewindow: an absolute endtime must be after starttime", "");
            return new(absStart < local && local < absEnd, null, $"{start} – {end} ({zone.Id})");
        }

        return new(false,
            "spec.timewindow: starttime and endtime must both be HH:MM[:SS] or both be YYYY-MM-DD HH:MM:SS", "");
    }

    private static TimeSpan? ParseDaily(string value) =>
        DateTime.TryParseExact(value, DailyFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.TimeOfDay
            : null;

    private static DateTime? ParseAbsolute(string value) =>
        DateTime.TryParseExact(value, AbsoluteFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : null;
}
