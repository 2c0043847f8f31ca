using KubeOS.Agent.Disk;

namespace KubeOS.Agent.Images;

/// <summary>What was written, so the caller can finish it once the bytes are verified.</summary>
public sealed record InstalledPayload(PayloadKind Kind, bool IsExtFilesystem);

/// <summary>Detects the payload format from its first bytes and streams it onto the standby partition.</summary>
public sealed class PayloadInstaller(StandbyWriter writer)
{
    /// <param name="writeStarting">Called once, right before the first byte of the partition changes.</param>
    public async Task<InstalledPayload> InstallAsync(Stream payload, string source, RootPartition target, Action writeStarting, CancellationToken cancellationToken)
    {
        var head = new byte[PayloadDetector.ProbeBytes];
        var headLength = await payload.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headLength == 0)
            throw new InvalidDataException($"the image from {source} is empty");
        var kind = PayloadDetector.Detect(head.AsSpan(0, headLength));
        writeStarting();
        if (kind == PayloadKind.Raw)
        {
            // A hashing source hands its hashing to the writer's pipeline, so hashing overlaps receiving and writing.
            var (rest, hash) = payload is HashingReadStream hashing ? (hashing.Inner, hashing.Append) : (payload, (Action<ReadOnlySpan<byte>>?)null);
            await writer.WriteRawAsync(head.AsMemory(0, headLength), rest, hash, target, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var whole = new PrefixedStream(head.AsMemory(0, headLength), payload);
            await writer.WriteTarAsync(whole, kind == PayloadKind.TarGzip, target, cancellationToken).ConfigureAwait(false);
        }
        return new InstalledPayload(kind, kind == PayloadKind.Raw && PayloadDetector.IsExtFilesystem(head.AsSpan(0, headLength)));
    }

    /// <summary>After verification: a raw ext image gets the label of the slot it landed in.</summary>
    public static async Task FinishAsync(InstalledPayload installed, RootPartition target, CancellationToken cancellationToken)
    {
        if (installed.IsExtFilesystem)
            await StandbyWriter.RelabelExtAsync(target, cancellationToken).ConfigureAwait(false);
    }
}
