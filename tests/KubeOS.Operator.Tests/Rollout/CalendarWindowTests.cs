using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>Daily windows with weekdays and an IANA time zone (not in KubeOS).</summary>
public class CalendarWindowTests
{
    private static readonly TimeZoneInfo OperatorZone = TimeZoneInfo.Utc;

    [Theory]
    // 2026-11-24 is a Tuesday. Berlin is UTC+1 in November.
    [InlineData("2026-11-24T21:30:00Z", true)]   // Tue 22:30 Berlin
    [InlineData("2026-11-25T01:30:00Z", true)]   // Wed 02:30 Berlin: the window opened on Tuesday
    [InlineData("2026-11-25T21:30:00Z", false)]  // Wed 22:30 Berlin: Wednesday is not listed
    [InlineData("2026-11-24T20:30:00Z", false)]  // Tue 21:30 Berlin: before the window
    [InlineData("2026-11-23T23:30:00Z", false)]  // Tue 00:30 Berlin: opened Monday, not listed
    public void A_weekday_window_in_a_named_zone_opens_on_the_listed_days(string utc, bool open)
    {
        var window = new TimeWindow { StartTime = "22:00", EndTime = "04:00", Weekdays = ["Tue", "Thu"], TimeZone = "Europe/Berlin" };
        var result = TimeWindowGate.Evaluate(window, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), OperatorZone);
        Assert.Null(result.Error);
        Assert.Equal(open, result.Open);
        Assert.Contains("on Tue, Thu", result.Description);
        Assert.Contains("Europe/Berlin", result.Description);
    }

    [Fact]
    public void The_named_zone_follows_daylight_saving()
    {
        var window = new TimeWindow { StartTime = "02:00", EndTime = "03:00", TimeZone = "Europe/Berlin" };
        // 00:30 UTC is 02:30 in Berlin in summer (UTC+2) and 01:30 in winter (UTC+1).
        Assert.True(TimeWindowGate.Evaluate(window, new DateTimeOffset(2026, 7, 1, 0, 30, 0, TimeSpan.Zero), OperatorZone).Open);
        Assert.False(TimeWindowGate.Evaluate(window, new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.Zero), OperatorZone).Open);
    }

    [Fact]
    public void Without_weekdays_and_zone_the_window_is_kubeos_s()
    {
        var window = new TimeWindow { StartTime = "10:00", EndTime = "14:00" };
        var result = TimeWindowGate.Evaluate(window, new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), OperatorZone);
        Assert.True(result.Open);
        Assert.Equal("daily 10:00–14:00 (UTC)", result.Description);
    }

    [Fact]
    public void An_unknown_zone_blocks_with_the_field_named()
    {
        var window = new TimeWindow { StartTime = "10:00", EndTime = "14:00", TimeZone = "Mars/Olympus" };
        var result = TimeWindowGate.Evaluate(window, DateTimeOffset.UnixEpoch, OperatorZone);
        Assert.False(result.Open);
        Assert.Contains("spec.timewindow.timezone \"Mars/Olympus\"", result.Error);
    }

    [Fact]
    public void Outside_the_weekdays_the_planner_assigns_nothing_and_says_why()
    {
        var fleet = Fleet.Of(2); // Fleet's clock: Tuesday 2026-11-24 12:00 UTC
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "08:00", EndTime = "18:00", Weekdays = ["Sat", "Sun"], TimeZone = "UTC" };
        var decision = fleet.Decide(os);
        Assert.Empty(decision.Assignments);
        Assert.Equal(RolloutBlock.OutsideTimeWindow, decision.Block);
        Assert.Contains("on Sat, Sun", decision.Message);
    }
}
