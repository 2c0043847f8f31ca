using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Tests;

/// <summary>The fields beyond KubeOS that shape a rollout: reading them, and the errors that name the field and the fix.</summary>
public class RolloutShapeValidationTests
{
    private const string Manifest = """
        apiVersion: upgrade.openeuler.org/v1alpha1
        kind: OS
        metadata: {name: os, namespace: default}
        spec:
          opstype: upgrade
          osversion: KubeOS 1.0.2
          imagetype: disk
          imageurl: https://h/u.img
          checksum: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
          cacert: ca.crt
          flagSafe: false
          mtls: false
          containerimage: ""
          evictpodforce: false
          maxunavailable: MAX
        """;

    private static OS Parse(string max, string extra = "") =>
        (OS)Assert.Single(ManifestSerializer.Parse(Manifest.Replace("MAX", max) + extra)).Object!;

    [Theory]
    [InlineData("2", 2, null, "2")]
    [InlineData("25%", null, 25, "25%")]
    [InlineData("\"100%\"", null, 100, "100%")]
    public void Maxunavailable_reads_an_integer_or_a_percentage_and_writes_it_back_the_same(string yaml, int? count, int? percent, string text)
    {
        var os = Parse(yaml);
        Assert.Equal((count, percent), (os.Spec!.MaxUnavailable!.Value.Count, os.Spec.MaxUnavailable.Value.Percent));
        Assert.Equal(text, os.Spec.MaxUnavailable.ToString());
        Assert.Contains(percent is null ? "\"maxunavailable\":" + count : $"\"maxunavailable\":\"{text}\"", ManifestSerializer.ToJson(os, indented: false));
        Assert.Empty(ManifestValidator.Validate(os));
    }

    [Theory]
    [InlineData(10, 25, 2)]
    [InlineData(3, 10, 1)]
    [InlineData(0, 50, 1)]
    public void A_percentage_resolves_rounded_down_and_at_least_one(int total, int percent, int expected) =>
        Assert.Equal(expected, IntOrPercent.OfPercent(percent).Resolve(total));

    [Fact]
    public void A_malformed_percentage_is_a_type_error_that_names_the_percentage_form()
    {
        var doc = Assert.Single(ManifestSerializer.Parse(Manifest.Replace("MAX", "25 percent%")));
        var problem = Assert.Single(doc.Problems);
        Assert.Equal("spec.maxunavailable", problem.Path);
        Assert.StartsWith("must be an integer or a percentage from 1% to 100% such as \"25%\"", problem.Message);
    }

    [Fact]
    public void Every_new_field_reports_its_own_problem_with_a_fix()
    {
        var os = Parse("0%", """

              topologylimit: {maxunavailable: 0}
              stages:
                - {}
                - {nodes: 0, bake: -1}
              drain: {daemonsetpods: evict, escalation: {warnafter: 60, failafter: 30, action: wait}}
              timewindow: {starttime: "22:00", endtime: "04:00", weekdays: [Mon, Someday], timezone: Mars/Olympus}
            """);
        var problems = ManifestValidator.Validate(os).Where(p => p.IsError).ToList();
        string[] expected =
        [
            "spec.drain.daemonsetpods", "spec.drain.escalation.action", "spec.drain.escalation.warnafter", "spec.maxunavailable",
            "spec.stages[0]", "spec.stages[1].bake", "spec.stages[1].nodes", "spec.timewindow.timezone", "spec.timewindow.weekdays[1]",
            "spec.topologylimit.key", "spec.topologylimit.maxunavailable",
        ];
        Assert.Equal(expected, problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Fix)));
        Assert.Contains(problems, p => p.ErrorId == ErrorIds.UnknownTimeZone && p.Message == "is not a known IANA time zone, got \"Mars/Olympus\"");
        Assert.Contains(problems, p => p.ErrorId == ErrorIds.InvalidPercentage && p.Message == "must be a percentage from 1% to 100%, got \"0%\"");
        Assert.Contains(problems, p => p.Path == "spec.drain.escalation.warnafter" && p.Message == "must be less than failafter, got warnafter 60 and failafter 30");
    }

    [Fact]
    public void Weekdays_with_an_absolute_window_are_refused()
    {
        var os = Parse("1", """

              timewindow: {starttime: "2026-01-01 00:00:00", endtime: "2026-01-02 00:00:00", weekdays: [Sat]}
            """);
        var problem = Assert.Single(ManifestValidator.Validate(os), p => p.IsError);
        Assert.Equal(("spec.timewindow.weekdays", ErrorIds.InvalidWeekday), (problem.Path, problem.ErrorId));
    }
}
