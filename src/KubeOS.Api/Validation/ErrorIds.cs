namespace KubeOS.Api.Validation;

/// <summary>
/// Every <see cref="ValidationProblem.ErrorId"/> the library reports. The values are stable: scripts may match on them.
/// </summary>
public static class ErrorIds
{
    // Loading
    /// <summary>The YAML text is not well-formed.</summary>
    public const string YamlSyntaxError = nameof(YamlSyntaxError);
    /// <summary>The JSON text is not well-formed.</summary>
    public const string JsonSyntaxError = nameof(JsonSyntaxError);
    /// <summary>A document is not a mapping/object.</summary>
    public const string NotAnObject = nameof(NotAnObject);
    /// <summary>The kind is neither OS nor OSInstance.</summary>
    public const string UnknownKind = nameof(UnknownKind);
    /// <summary>The apiVersion is not upgrade.openeuler.org/v1alpha1.</summary>
    public const string UnknownApiVersion = nameof(UnknownApiVersion);
    /// <summary>A value has the wrong JSON type (a string where an integer belongs, ...).</summary>
    public const string InvalidType = nameof(InvalidType);
    /// <summary>A mapping names the same key twice.</summary>
    public const string DuplicateField = nameof(DuplicateField);
    /// <summary>A field this version does not know; the API server drops it (warning).</summary>
    public const string UnknownField = nameof(UnknownField);

    // Common
    /// <summary>A required field is absent.</summary>
    public const string RequiredFieldMissing = nameof(RequiredFieldMissing);
    /// <summary>A value outside its list of allowed values.</summary>
    public const string InvalidEnumValue = nameof(InvalidEnumValue);
    /// <summary>A string longer than the CRD allows.</summary>
    public const string FieldTooLong = nameof(FieldTooLong);
    /// <summary>metadata.name is missing or not a valid Kubernetes name.</summary>
    public const string InvalidName = nameof(InvalidName);

    // OS spec
    /// <summary>maxunavailable below 1.</summary>
    public const string MaxUnavailableOutOfRange = nameof(MaxUnavailableOutOfRange);
    /// <summary>timeinterval below 0.</summary>
    public const string TimeIntervalOutOfRange = nameof(TimeIntervalOutOfRange);
    /// <summary>maxfailures below 1.</summary>
    public const string MaxFailuresOutOfRange = nameof(MaxFailuresOutOfRange);
    /// <summary>checksum is not 64 hexadecimal characters.</summary>
    public const string InvalidChecksum = nameof(InvalidChecksum);
    /// <summary>An upgrade without the checksum that the agent verifies.</summary>
    public const string ChecksumRequired = nameof(ChecksumRequired);
    /// <summary>An upgrade with imagetype "".</summary>
    public const string ImageTypeRequired = nameof(ImageTypeRequired);
    /// <summary>A disk upgrade with an empty imageurl.</summary>
    public const string ImageUrlRequired = nameof(ImageUrlRequired);
    /// <summary>imageurl is neither http:// nor https://.</summary>
    public const string InvalidImageUrl = nameof(InvalidImageUrl);
    /// <summary>Plain-http imageurl without flagSafe: true.</summary>
    public const string InsecureImageUrl = nameof(InsecureImageUrl);
    /// <summary>mtls over https without cacert/clientcert/clientkey.</summary>
    public const string MissingCertificate = nameof(MissingCertificate);
    /// <summary>https download without cacert; the agent needs a CA bundle (warning).</summary>
    public const string CaCertRecommended = nameof(CaCertRecommended);
    /// <summary>A docker/containerd upgrade with an empty containerimage.</summary>
    public const string ContainerImageRequired = nameof(ContainerImageRequired);
    /// <summary>containerimage does not match registry[:port]/path/name[:tag|@sha256:digest].</summary>
    public const string InvalidContainerImage = nameof(InvalidContainerImage);
    /// <summary>A time window value that is not HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM:SS, or not a real time.</summary>
    public const string InvalidTimeWindow = nameof(InvalidTimeWindow);
    /// <summary>nodeselector is not a valid label value.</summary>
    public const string InvalidNodeSelector = nameof(InvalidNodeSelector);

    // OSInstance
    /// <summary>nodestatus outside idle/upgrade/config/rollback.</summary>
    public const string InvalidNodeStatus = nameof(InvalidNodeStatus);

    // Configuration models
    /// <summary>model is not one of the seven KubeOS models.</summary>
    public const string UnknownConfigModel = nameof(UnknownConfigModel);
    /// <summary>A content key is empty.</summary>
    public const string EmptyConfigKey = nameof(EmptyConfigKey);
    /// <summary>A content key has a character its model cannot store ('=' for sysctl, a space for pam.limits).</summary>
    public const string InvalidConfigKey = nameof(InvalidConfigKey);
    /// <summary>A content value its model cannot store (empty, null, a list or object where a scalar belongs).</summary>
    public const string InvalidConfigValue = nameof(InvalidConfigValue);
    /// <summary>A pam.limits value that is not type.item.value.</summary>
    public const string InvalidPamLimitValue = nameof(InvalidPamLimitValue);
    /// <summary>A pam.limits "_" placeholder, which only works when the domain already has a line (warning).</summary>
    public const string PamLimitPlaceholder = nameof(PamLimitPlaceholder);
    /// <summary>An operation other than "" or "delete" (warning: treated as add/update).</summary>
    public const string UnknownOperation = nameof(UnknownOperation);
    /// <summary>A delete the model does not support (warning: ignored by the agent).</summary>
    public const string UnsupportedDelete = nameof(UnsupportedDelete);
    /// <summary>configpath set on a model that ignores it (warning).</summary>
    public const string ConfigPathIgnored = nameof(ConfigPathIgnored);
    /// <summary>configpath is not an absolute path.</summary>
    public const string InvalidConfigPath = nameof(InvalidConfigPath);
    /// <summary>The same key twice in one model; the last one wins (warning).</summary>
    public const string DuplicateConfigKey = nameof(DuplicateConfigKey);

    // OS spec: pre-staging, health gate, failure budget action (not in KubeOS)
    /// <summary>prestage.maxconcurrent below 1.</summary>
    public const string PrestageConcurrencyOutOfRange = nameof(PrestageConcurrencyOutOfRange);
    /// <summary>prestage.bandwidthlimit is not a positive quantity such as 50Mi.</summary>
    public const string InvalidBandwidthLimit = nameof(InvalidBandwidthLimit);
    /// <summary>prestage set on an operation that downloads nothing (config, rollback): it has no effect (warning).</summary>
    public const string PrestageIgnored = nameof(PrestageIgnored);
    /// <summary>healthgate.podselector is not a label selector.</summary>
    public const string InvalidPodSelector = nameof(InvalidPodSelector);
    /// <summary>healthgate.httpprobe has no http(s) URL or an expectstatus outside 100–599.</summary>
    public const string InvalidHealthProbe = nameof(InvalidHealthProbe);
    /// <summary>healthgate.baketime below 0, timeout below 1, or a timeout not longer than the bake time.</summary>
    public const string HealthGateTimingOutOfRange = nameof(HealthGateTimingOutOfRange);
    /// <summary>onfailurebudget revert without maxfailures: it never triggers (warning).</summary>
    public const string FailureBudgetActionIgnored = nameof(FailureBudgetActionIgnored);
    // Rollout shape and drain policy (not in KubeOS)
    /// <summary>maxunavailable (or a topology limit's) is a string that is not a percentage from 1% to 100%.</summary>
    public const string InvalidPercentage = nameof(InvalidPercentage);
    /// <summary>topologylimit without a key, or with a limit below 1.</summary>
    public const string InvalidTopologyLimit = nameof(InvalidTopologyLimit);
    /// <summary>A stage with neither or both of nodes and percent, a size below 1, or a negative bake.</summary>
    public const string InvalidRolloutStage = nameof(InvalidRolloutStage);
    /// <summary>A drain knob or escalation value outside its choices, or warnafter not before failafter.</summary>
    public const string InvalidDrainPolicy = nameof(InvalidDrainPolicy);
    /// <summary>timewindow.weekdays names a day that is not Mon … Sun, or is used with an absolute window.</summary>
    public const string InvalidWeekday = nameof(InvalidWeekday);
    /// <summary>timewindow.timezone is not an IANA time zone this machine knows.</summary>
    public const string UnknownTimeZone = nameof(UnknownTimeZone);

    /// <summary>Every id above, for documentation and completeness checks.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        YamlSyntaxError, JsonSyntaxError, NotAnObject, UnknownKind, UnknownApiVersion, InvalidType, DuplicateField,
        UnknownField, RequiredFieldMissing, InvalidEnumValue, FieldTooLong, InvalidName, MaxUnavailableOutOfRange,
        TimeIntervalOutOfRange, MaxFailuresOutOfRange, InvalidChecksum, ChecksumRequired, ImageTypeRequired, ImageUrlRequired, InvalidImageUrl,
        InsecureImageUrl, MissingCertificate, CaCertRecommended, ContainerImageRequired, InvalidContainerImage,
        InvalidTimeWindow, InvalidNodeSelector, InvalidNodeStatus, UnknownConfigModel, EmptyConfigKey, InvalidConfigKey,
        InvalidConfigValue, InvalidPamLimitValue, PamLimitPlaceholder, UnknownOperation, UnsupportedDelete,
        ConfigPathIgnored, InvalidConfigPath, DuplicateConfigKey,
        PrestageConcurrencyOutOfRange, InvalidBandwidthLimit, PrestageIgnored, InvalidPodSelector, InvalidHealthProbe,
        HealthGateTimingOutOfRange, FailureBudgetActionIgnored,
        InvalidPercentage, InvalidTopologyLimit, InvalidRolloutStage, InvalidDrainPolicy, InvalidWeekday, UnknownTimeZone,
    ];
}
