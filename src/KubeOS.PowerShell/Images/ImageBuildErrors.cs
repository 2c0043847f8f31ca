using System.Management.Automation;
using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Tools;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Images;

/// <summary>Turns what the image builder throws into ErrorRecords with stable ids, categories and the fix.</summary>
public static class ImageBuildErrors
{
    // The library reports missing programs as a ToolException with this opening, before any work starts.
    private const string MissingToolsPrefix = "missing host tools";

    public static ErrorRecord? From(Exception exception, string configPath) => exception switch
    {
        ImageConfigException config => ErrorRecords.Create(ImageErrorIds.ImageConfigInvalid, ErrorCategory.InvalidData, configPath,
            config.Message, string.Join(" ", config.Errors.Select(e => $"{e.Key}: {e.Fix}")), config),
        ToolException tools when tools.Message.StartsWith(MissingToolsPrefix, StringComparison.Ordinal) =>
            ErrorRecords.Create(ImageErrorIds.ImageBuildToolsMissing, ErrorCategory.NotInstalled, configPath,
                "Cannot build the image: " + tools.Message,
                "Install the Debian packages named in the message (sudo apt-get install ...), then run the command again.", tools),
        ToolException tool => ErrorRecords.Create(ImageErrorIds.ImageBuildFailed, ErrorCategory.InvalidResult, configPath,
            "The image build failed: " + tool.Message,
            "Read the command output in the message; run with -Verbose to see every command the build runs.", tool),
        HttpRequestException push => ErrorRecords.Create(ImageErrorIds.ImagePushFailed, ErrorCategory.ConnectionError, configPath,
            "Pushing the image failed: " + push.Message,
            "Check the registry address in -Push, that the registry is running, and use -PlainHttp for a registry without TLS.", push),
        PlatformNotSupportedException platform => ErrorRecords.Create(ImageErrorIds.ImageBuildNotSupported, ErrorCategory.NotImplemented,
            configPath, platform.Message, "Build images on a Linux machine (Debian or Ubuntu).", platform),
        IOException or UnauthorizedAccessException => ErrorRecords.Create(ImageErrorIds.ImageBuildFailed, ErrorCategory.WriteError,
            configPath, "The image build failed: " + exception.Message,
            "Check that -OutputPath and -CacheDirectory are writable and have room for the image.", exception),
        _ => null,
    };
}
