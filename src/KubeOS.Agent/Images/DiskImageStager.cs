using System.Net;
using KubeOS.Agent.Disk;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Images;

/// <summary>
/// imagetype disk: one pass from the HTTP response to the standby partition, hashing as it goes. The partition is
/// written before the checksum is known, so a mismatch (or any failure after writing began) invalidates it; the boot
/// target is never touched here.
/// </summary>
public sealed class DiskImageStager(StandbyWriter writer, string certsDir)
{
    private readonly PayloadInstaller _installer = new(writer);

    /// <param name="writeStarting">Called once, right before the first byte of the partition changes.</param>
    public async Task<StagedImage> StageAsync(UpgradeRequest request, RootPartition target, Action writeStarting, CancellationToken cancellationToken)
    {
        var expected = UpgradeRequestChecks.NormalizeChecksum(request.CheckSum);
        using var client = ImageHttpClientFactory.Create(request, certsDir);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(request.ImageUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"downloading {request.ImageUrl} failed: {e.Message}", e);
        }
        using var _ = response;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new IOException($"downloading {request.ImageUrl} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        var length = response.Content.Headers.ContentLength;
        if (length > target.SizeBytes)
            throw new ImageTooLargeException(
                $"the image at {request.ImageUrl} is {length} bytes, larger than partition {target.Name} ({target.Device}, {target.SizeBytes} bytes); nothing was written");

        var download = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (request.BandwidthLimit > 0) download = new ThrottledReadStream(download, request.BandwidthLimit);
        await using var body = new HashingReadStream(download);
        var started = false;
        InstalledPayload installed;
        try
        {
            try
            {
                installed = await _installer.InstallAsync(body, request.ImageUrl, target, () =>
                {
                    started = true;
                    writeStarting();
                }, cancellationToken).ConfigureAwait(false);
                // The checksum covers every byte received, including any after the end of the archive.
                await body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpIOException e)
            {
                throw new IOException($"downloading {request.ImageUrl} broke off after {body.BytesRead} of {length?.ToString() ?? "?"} bytes: {e.Message}", e);
            }
            var actual = body.HexDigest();
            if (actual != expected)
                throw new InvalidDataException(
                    $"check_sum mismatch for {request.ImageUrl}: expected sha256 {expected}, received {body.BytesRead} bytes with sha256 {actual}; the standby partition was discarded and the boot target is unchanged");
            await PayloadInstaller.FinishAsync(installed, target, cancellationToken).ConfigureAwait(false);
        }
        catch when (started)
        {
            await StandbyWriter.InvalidateAsync(target).ConfigureAwait(false);
            throw;
        }

        return StagedImageRecord.Of(request, target, ImageTypes.Disk, installed, expected, body.BytesRead);
    }
}
