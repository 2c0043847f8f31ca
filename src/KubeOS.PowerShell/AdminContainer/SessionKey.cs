using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// An ECDSA P-256 key pair made for one session and kept only in memory: the pod's sshd host key (so the client knows
/// exactly which key to pin) or the client's login key when the caller brings none.
/// </summary>
public sealed class SessionKey : IDisposable
{
    public const string Algorithm = "ecdsa-sha2-nistp256";
    private const string Curve = "nistp256";
    private readonly ECDsa _key;

    private SessionKey(ECDsa key)
    {
        _key = key;
        PublicKeyBlob = EncodePublicKey(key.ExportParameters(includePrivateParameters: false));
    }

    public static SessionKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The public key in SSH wire format, as the server sends it during key exchange.</summary>
    public byte[] PublicKeyBlob { get; }

    /// <summary>The line for authorized_keys or known_hosts: <c>ecdsa-sha2-nistp256 AAAA... comment</c>.</summary>
    public string OpenSshPublicKey(string comment) => $"{Algorithm} {Convert.ToBase64String(PublicKeyBlob)} {comment}";

    /// <summary>SHA256:... as ssh-keygen -l prints it.</summary>
    public string Fingerprint => FingerprintOf(PublicKeyBlob);

    /// <summary>The private key as a PEM "EC PRIVATE KEY", which both sshd and SSH.NET read.</summary>
    public string PrivateKeyPem() => _key.ExportECPrivateKeyPem();

    public PrivateKeyFile ToPrivateKeyFile() => new(new MemoryStream(Encoding.ASCII.GetBytes(PrivateKeyPem())));

    public static string FingerprintOf(byte[] publicKeyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');

    private static byte[] EncodePublicKey(ECParameters parameters)
    {
        var point = new byte[1 + parameters.Q.X!.Length + parameters.Q.Y!.Length];
        point[0] = 0x04; // uncompressed point, the only form RFC 5656 uses
        parameters.Q.X.CopyTo(point, 1);
        parameters.Q.Y.CopyTo(point, 1 + parameters.Q.X.Length);
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes(Algorithm));
        WriteString(blob, Encoding.ASCII.GetBytes(Curve));
        WriteString(blob, point);
        return blob.ToArray();
    }

    private static void WriteString(Stream stream, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        stream.Write(length);
        stream.Write(value);
    }

    public void Dispose() => _key.Dispose();
}
