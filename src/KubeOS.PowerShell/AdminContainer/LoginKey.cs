using System.Management.Automation;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Security;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// The key the client logs in with: the caller's (-KeyPath, with -PublicKeyPath or the key's .pub file or the public
/// half derived from the private key) or one generated for the session that never touches the disk.
/// </summary>
public sealed class LoginKey : IDisposable
{
    private readonly SessionKey? _generated;

    private LoginKey(IPrivateKeySource privateKey, string authorizedKey, string description, SessionKey? generated = null)
    {
        PrivateKey = privateKey;
        AuthorizedKey = authorizedKey;
        Description = description;
        _generated = generated;
    }

    public IPrivateKeySource PrivateKey { get; }

    /// <summary>The line installed in the admin container's authorized_keys.</summary>
    public string AuthorizedKey { get; }

    public string Description { get; }

    public static LoginKey Generate()
    {
        var key = SessionKey.Generate();
        return new LoginKey(key.ToPrivateKeyFile(), key.OpenSshPublicKey("kubeos-admin-session"),
            $"a key pair generated for this session ({key.Fingerprint})", key);
    }

    /// <summary>Reads the caller's key files (paths already resolved against the current location).</summary>
    public static LoginKey Load(string keyPath, string? publicKeyPath)
    {
        PrivateKeyFile privateKey;
        try
        {
            privateKey = new PrivateKeyFile(keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException or ArgumentException or FormatException)
        {
            throw Unreadable($"Cannot read the private key '{keyPath}': {ex.Message}",
                "Pass an unencrypted OpenSSH, PEM or PKCS#8 private key with -KeyPath (ssh-keygen -t ed25519 -N '' -f <path>), or leave -KeyPath out to use a key generated for the session.", ex);
        }
        var publicLine = ReadPublicKey(publicKeyPath ?? (File.Exists(keyPath + ".pub") ? keyPath + ".pub" : null))
            ?? Derive(privateKey);
        return new LoginKey(privateKey, publicLine, $"the key {keyPath}");
    }

    private static string? ReadPublicKey(string? path)
    {
        if (path is null) return null;
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable($"Cannot read the public key '{path}': {ex.Message}", "Check the -PublicKeyPath value.", ex);
        }
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (text.Contains('\n') || fields.Length < 2 || !IsBase64(fields[1]))
        {
            throw Unreadable($"The public key '{path}' is not one OpenSSH public key line ('<type> <base64> [comment]').",
                "Pass the .pub file ssh-keygen wrote next to the private key with -PublicKeyPath.");
        }
        return text;
    }

    private static string Derive(PrivateKeyFile privateKey)
    {
        var blob = privateKey.HostKeyAlgorithms.OfType<KeyHostAlgorithm>().First().Data;
        // The key type is the first string of the blob (for RSA "ssh-rsa", whatever signature algorithms it offers).
        var typeLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(blob);
        var type = Encoding.ASCII.GetString(blob, 4, typeLength);
        return $"{type} {Convert.ToBase64String(blob)} kubeos-admin";
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private static AdminContainerException Unreadable(string message, string fix, Exception? inner = null) =>
        new(message, AdminContainerErrorIds.KeyFileUnreadable, ErrorCategory.ReadError, inner) { RecommendedAction = fix };

    public void Dispose()
    {
        (PrivateKey as IDisposable)?.Dispose();
        _generated?.Dispose();
    }
}
