using KubeOS.Api.Agent;
using KubeOS.Agent.Disk;

namespace KubeOS.Agent.Images;

/// <summary>What status reports about a standby partition once a payload was written and verified on it.</summary>
internal static class StagedImageRecord
{
    public static StagedImage Of(UpgradeRequest request, RootPartition target, string imageType, InstalledPayload installed,
        string checkSum, long bytes) => new()
    {
        Version = request.Version,
        Partition = target.Name,
        Device = target.Device,
        ImageType = imageType,
        Payload = PayloadDetector.Describe(installed.Kind),
        CheckSum = checkSum,
        Bytes = bytes,
        StagedAt = DateTimeOffset.UtcNow,
    };
}
