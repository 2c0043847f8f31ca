using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Api.Validation;

namespace KubeOS.Api.Tests;

public class ValidatorTests
{
    private static OS Disk() => new()
    {
        Metadata = new ObjectMeta { Name = "os", Namespace = "default" },
        Spec = new OSSpec
        {
            OpsType = "upgrade", OSVersion = "KubeOS 1.0.2", ImageType = "disk", ImageUrl = "https://h/u.img",
            Checksum = new string('a', 64), FlagSafe = false, Mtls = false, MaxUnavailable = 1, ContainerImage = "",
            EvictPodForce = false, CaCert = "ca.crt",
        },
    };

    private static List<ValidationProblem> Errors(OS os) => ManifestValidator.Validate(os).Where(p => p.IsError).ToList();

    [Fact]
    public void ValidDiskUpgradeHasNoProblems() => Assert.Empty(ManifestValidator.Validate(Disk()));

    [Fact]
    public void EveryMissingRequiredFieldIsReported()
    {
        var errors = Errors(new OS { Metadata = new ObjectMeta { Name = "x" }, Spec = new OSSpec() });
        Assert.Equal(10, errors.Count);
        Assert.All(errors, e => Assert.Equal(ErrorIds.RequiredFieldMissing, e.ErrorId));
        Assert.Contains(errors, e => e.Path == "spec.flagSafe");
    }

    [Fact]
    public void ProblemCarriesMessageFixIdAndToString()
    {
        var os = Disk();
        os.Spec!.MaxUnavailable = 0;
        var p = Assert.Single(Errors(os));
        Assert.Equal("spec.maxunavailable", p.Path);
        Assert.Equal("must be an integer >= 1, got 0", p.Message);
        Assert.Equal(ErrorIds.MaxUnavailableOutOfRange, p.ErrorId);
        Assert.EndsWith(".", p.Fix);
        Assert.Equal("spec.maxunavailable: must be an integer >= 1, got 0", p.ToString());
    }

    [Theory]
    [InlineData("config")]
    [InlineData("rollback")]
    public void EmptyImageTypeAndChecksumAreAcceptedOutsideUpgrade(string ops)
    {
        var os = Disk();
        os.Spec!.OpsType = ops;
        os.Spec.ImageType = "";
        os.Spec.Checksum = "";
        os.Spec.ImageUrl = "";
        Assert.Empty(Errors(os));
    }

    [Fact]
    public void HttpWithFlagSafeIsAcceptedAndHttpsWithoutCaIsAWarning()
    {
        var os = Disk();
        os.Spec!.ImageUrl = "http://10.0.0.1/u.img";
        os.Spec.FlagSafe = true;
        Assert.Empty(Errors(os));
        os = Disk();
        os.Spec!.CaCert = null;
        var w = Assert.Single(ManifestValidator.Validate(os));
        Assert.Equal(ProblemSeverity.Warning, w.Severity);
        Assert.Equal(ErrorIds.CaCertRecommended, w.ErrorId);
    }

    [Fact]
    public void MtlsNeedsAllThreeCertificates()
    {
        var os = Disk();
        os.Spec!.Mtls = true;
        os.Spec.CaCert = "";
        Assert.Equal(["spec.cacert", "spec.clientcert", "spec.clientkey"], Errors(os).Select(e => e.Path));
        Assert.All(Errors(os), e => Assert.Equal(ErrorIds.MissingCertificate, e.ErrorId));
    }

    [Theory]
    [InlineData("22:00", "04:00", null)]
    [InlineData("22:00:00", "04:00:00", null)]
    [InlineData("2026-01-01 00:00:00", "2026-01-02 00:00:00", null)]
    [InlineData("", "", null)]
    [InlineData("25:00", "04:00", "spec.timewindow.starttime")]
    [InlineData("22:00", "4:00", "spec.timewindow.endtime")]
    [InlineData("2026-13-01 00:00:00", "2027-01-02 00:00:00", "spec.timewindow.starttime")]
    [InlineData("2026-01-02 00:00:00", "2026-01-01 00:00:00", "spec.timewindow.endtime")]
    [InlineData("22:00", "22:00", "spec.timewindow.endtime")]
    [InlineData("22:00", "", "spec.timewindow.endtime")]
    [InlineData("22:00:00", "2026-01-01 00:00:00", "spec.timewindow.endtime")]
    public void TimeWindowRules(string start, string end, string? badPath)
    {
        var os = Disk();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = start, EndTime = end };
        var errors = Errors(os);
        if (badPath is null) Assert.Empty(errors);
        else Assert.Equal(badPath, Assert.Single(errors.Select(e => e.Path).Distinct()));
        Assert.All(errors, e => Assert.Equal(ErrorIds.InvalidTimeWindow, e.ErrorId));
    }

    [Fact]
    public void ConfigWarningsDoNotReject()
    {
        var os = Disk();
        os.Spec!.SysConfigs = new SysConfigs
        {
            Version = "v1",
            Configs =
            [
                new SysConfig { Model = "kernel.sysctl", ConfigPath = "/etc/x", Contents = [Content.Of("a", "1", "remove"), Content.Of("b", null, "delete"), Content.Of("a", "2")] },
                new SysConfig { Model = "pam.limits", Contents = [Content.Of("ftp", "hard._.1")] },
            ],
        };
        var problems = ManifestValidator.Validate(os);
        Assert.DoesNotContain(problems, p => p.IsError);
        Assert.Equal(
            new[] { ErrorIds.ConfigPathIgnored, ErrorIds.DuplicateConfigKey, ErrorIds.PamLimitPlaceholder, ErrorIds.UnknownOperation, ErrorIds.UnsupportedDelete },
            problems.Select(p => p.ErrorId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OSInstanceConfigsFollowTheSameRules()
    {
        var osi = new OSInstance
        {
            Metadata = new ObjectMeta { Name = "node-1" },
            Spec = new OSInstanceSpec { NodeStatus = "idle" },
            Status = new OSInstanceStatus { SysConfigs = new SysConfigs { Configs = [new SysConfig { Model = "bogus" }] } },
        };
        var p = Assert.Single(ManifestValidator.Validate(osi));
        Assert.Equal("status.sysconfigs.configs[0].model", p.Path);
        Assert.Equal(ErrorIds.UnknownConfigModel, p.ErrorId);
    }

    [Theory]
    [InlineData(null, ErrorIds.RequiredFieldMissing)]
    [InlineData("Upper_Case", ErrorIds.InvalidName)]
    public void MetadataNameIsChecked(string? name, string id)
    {
        var os = Disk();
        os.Metadata!.Name = name;
        Assert.Equal(id, Assert.Single(Errors(os)).ErrorId);
    }

    [Fact]
    public void UnknownFieldsAreWarnings()
    {
        var doc = Assert.Single(ManifestSerializer.Parse(ManifestSerializer.ToYaml(Disk()).Replace("spec:\n", "spec:\n  maxUnavailable: 2\n")));
        var w = Assert.Single(ManifestValidator.Validate(doc));
        Assert.Equal(("spec.maxUnavailable", ErrorIds.UnknownField, ProblemSeverity.Warning), (w.Path, w.ErrorId, w.Severity));
        Assert.NotNull(w.Line);
    }

    [Fact]
    public void TypeErrorsAreNotReportedTwice()
    {
        var doc = Assert.Single(ManifestSerializer.Parse(ManifestSerializer.ToYaml(Disk()).Replace("maxunavailable: 1", "maxunavailable: many")));
        var p = Assert.Single(ManifestValidator.Validate(doc));
        Assert.Equal(ErrorIds.InvalidType, p.ErrorId);
    }

    [Fact]
    public void ErrorIdsAreUniquePascalCaseAndMatchTheirNames()
    {
        Assert.Equal(ErrorIds.All.Count, ErrorIds.All.Distinct().Count());
        Assert.All(ErrorIds.All, id => Assert.Matches("^[A-Z][A-Za-z]+$", id));
        var constants = typeof(ErrorIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(constants.Order(), ErrorIds.All.Order());
    }
}
