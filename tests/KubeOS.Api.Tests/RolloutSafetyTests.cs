using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Api.Quantities;
using KubeOS.Api.Selectors;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Tests;

/// <summary>spec.prestage, spec.healthgate and spec.onfailurebudget: parsing, validation with field-named errors, wire shape.</summary>
public class RolloutSafetyTests
{
    private static OS Upgrade(Action<OSSpec> change)
    {
        var os = new OS
        {
            Metadata = new ObjectMeta { Name = "os", Namespace = "default" },
            Spec = new OSSpec
            {
                OpsType = "upgrade", OSVersion = "KubeOS 1.0.2", ImageType = "disk", ImageUrl = "https://h/u.img",
                Checksum = new string('a', 64), FlagSafe = false, Mtls = false, MaxUnavailable = 1, ContainerImage = "",
                EvictPodForce = false, CaCert = "ca.crt",
            },
        };
        change(os.Spec);
        return os;
    }

    private static List<ValidationProblem> Problems(OS os) => ManifestValidator.Validate(os).ToList();

    [Theory]
    [InlineData("50Mi", 50L << 20)]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("200M", 200_000_000)]
    [InlineData("4096", 4096)]
    [InlineData("3k", 3000)]
    public void Bandwidth_quantities_parse_to_bytes_per_second(string text, long expected)
    {
        Assert.True(ByteRate.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("50MB")]
    [InlineData("1.5Gi")]
    [InlineData("-5Mi")]
    [InlineData("99999999999999999Ti")]
    public void Bad_bandwidth_quantities_are_refused(string text) => Assert.False(ByteRate.TryParse(text, out _));

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier!=db", true)]
    [InlineData("tier!=web", true)]
    [InlineData("app", true)]
    [InlineData("!canary", true)]
    [InlineData("app=db", false)]
    [InlineData("tier", false)]
    [InlineData("app,!tier,example.com/role=edge", true)]
    public void Pod_selectors_match_as_kubectl_does(string selector, bool matches)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["example.com/role"] = "edge" };
        var parsed = PodSelector.TryParse(selector, out var error);
        Assert.Null(error);
        Assert.Equal(matches, parsed!.Matches(labels));
    }

    [Theory]
    [InlineData("app=web,")]
    [InlineData("=web")]
    [InlineData("app=we b")]
    [InlineData("-app=web")]
    public void Malformed_pod_selectors_say_what_is_wrong(string selector)
    {
        Assert.Null(PodSelector.TryParse(selector, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_full_rollout_safety_spec_is_valid() =>
        Assert.Empty(Problems(Upgrade(s =>
        {
            s.MaxFailures = 1;
            s.OnFailureBudget = "revert";
            s.Prestage = new PrestageSpec { Enabled = true, MaxConcurrent = 3, BandwidthLimit = "50Mi" };
            s.HealthGate = new HealthGateSpec
            {
                PodSelector = "app=web", BakeTime = 30, Timeout = 300,
                HttpProbe = new HttpProbeSpec { Url = "http://$(NODE_NAME).nodes.example:8080/ready", ExpectStatus = 204 },
            };
        })));

    [Fact]
    public void Each_bad_field_is_named_with_its_own_error()
    {
        var problems = Problems(Upgrade(s =>
        {
            s.OnFailureBudget = "rollback";
            s.Prestage = new PrestageSpec { Enabled = true, MaxConcurrent = 0, BandwidthLimit = "lots" };
            s.HealthGate = new HealthGateSpec
            {
                PodSelector = "app=,,", BakeTime = -1, Timeout = 0,
                HttpProbe = new HttpProbeSpec { Url = "127.0.0.1/healthz", ExpectStatus = 42 },
            };
        }));
        var byPath = problems.Where(p => p.IsError).ToDictionary(p => p.Path, p => p.ErrorId);
        Assert.Equal(ErrorIds.InvalidEnumValue, byPath["spec.onfailurebudget"]);
        Assert.Equal(ErrorIds.PrestageConcurrencyOutOfRange, byPath["spec.prestage.maxconcurrent"]);
        Assert.Equal(ErrorIds.InvalidBandwidthLimit, byPath["spec.prestage.bandwidthlimit"]);
        Assert.Equal(ErrorIds.InvalidPodSelector, byPath["spec.healthgate.podselector"]);
        Assert.Equal(ErrorIds.HealthGateTimingOutOfRange, byPath["spec.healthgate.baketime"]);
        Assert.Equal(ErrorIds.HealthGateTimingOutOfRange, byPath["spec.healthgate.timeout"]);
        Assert.Equal(ErrorIds.InvalidHealthProbe, byPath["spec.healthgate.httpprobe.url"]);
        Assert.Equal(ErrorIds.InvalidHealthProbe, byPath["spec.healthgate.httpprobe.expectstatus"]);
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.Fix)));
    }

    [Fact]
    public void A_timeout_not_longer_than_the_default_bake_is_named()
    {
        var problem = Assert.Single(Problems(Upgrade(s => s.HealthGate = new HealthGateSpec { BakeTime = 700 })));
        Assert.Equal("spec.healthgate.timeout", problem.Path);
        Assert.Contains("longer than baketime", problem.Message);
    }

    [Fact]
    public void Settings_without_effect_are_warnings()
    {
        var revert = Assert.Single(Problems(Upgrade(s => s.OnFailureBudget = "revert")));
        Assert.Equal(ErrorIds.FailureBudgetActionIgnored, revert.ErrorId);
        Assert.False(revert.IsError);
        var prestage = Assert.Single(Problems(Upgrade(s =>
        {
            s.OpsType = "rollback";
            s.Prestage = new PrestageSpec { Enabled = true };
        })));
        Assert.Equal(ErrorIds.PrestageIgnored, prestage.ErrorId);
        Assert.False(prestage.IsError);
    }

    [Fact]
    public void Unknown_fields_inside_the_new_blocks_are_reported()
    {
        var os = Upgrade(s => s.Prestage = new PrestageSpec
        {
            Enabled = true,
            ExtensionData = new() { ["maxparallel"] = System.Text.Json.JsonDocument.Parse("3").RootElement },
        });
        Assert.Contains(Problems(os), p => p.ErrorId == ErrorIds.UnknownField && p.Path == "spec.prestage.maxparallel");
    }

    [Fact]
    public void The_bandwidth_limit_is_on_the_wire_only_when_set()
    {
        var plain = System.Text.Json.JsonSerializer.Serialize(new UpgradeRequest { Version = "v2" }, AgentJson.Wire.UpgradeRequest);
        Assert.DoesNotContain("bandwidth_limit", plain);
        var limited = System.Text.Json.JsonSerializer.Serialize(new UpgradeRequest { Version = "v2", BandwidthLimit = 1024 }, AgentJson.Wire.UpgradeRequest);
        Assert.Contains("\"bandwidth_limit\":1024", limited);
        var back = System.Text.Json.JsonSerializer.Deserialize(limited, AgentJson.Wire.UpgradeRequest)!;
        Assert.Equal(1024, back.BandwidthLimit);
    }
}
