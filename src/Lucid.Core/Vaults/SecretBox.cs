using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lucid.Json;

namespace Lucid.Vaults;

/// <summary>
/// Seals credentials' secrets with AES-256-GCM under a key kept outside the database (a file of its own, readable by its
/// owner only), so that a copy of the database alone reveals no secret. Each sealed value is bound to its credential's ID
/// (as associated data): moved to another credential's row, it no longer opens.
/// </summary>
public sealed class SecretBox : IDisposable
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly AesGcm _aes;

    /// <summary>Creates a box with a 32-byte key.</summary>
    public SecretBox(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("A vault key is 32 bytes.", nameof(key));
        }

        _aes = new AesGcm(key, TagSize);
    }

    /// <summary>A box with a new random key that lives only as long as the process: for tests and throwaway servers.</summary>
    public static SecretBox Ephemeral() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The box of the key in <paramref name="path"/>, which is made (32 random bytes, mode 0600) when it does not exist.
    /// Losing the file loses every stored secret: back it up apart from the database.
    /// </summary>
    public static SecretBox FromKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(RandomNumberGenerator.GetBytes(32));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }

        return new SecretBox(File.ReadAllBytes(path));
    }

    /// <summary>Seals <paramref name="secrets"/> for the credential <paramref name="credentialId"/>.</summary>
    public string Seal(CredentialSecrets secrets, string credentialId)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var plain = JsonSerializer.SerializeToUtf8Bytes(secrets, LucidJsonContext.Default.CredentialSecrets);
        var sealedBytes = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(credentialId));
        CryptographicOperations.ZeroMemory(plain);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Opens what <see cref="Seal"/> made for the same credential; throws <see cref="CryptographicException"/> when the key or the ID differs.</summary>
    public CredentialSecrets Open(string sealedSecrets, string credentialId)
    {
        var bytes = Convert.FromBase64String(sealedSecrets);
        if (bytes.Length < 1 + NonceSize + TagSize || bytes[0] != Version)
        {
            throw new CryptographicException("The sealed secrets are not in a format this server knows.");
        }

        var plain = new byte[bytes.Length - 1 - NonceSize - TagSize];
        _aes.Decrypt(bytes.AsSpan(1, NonceSize), bytes.AsSpan(1 + NonceSize + TagSize), bytes.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(credentialId));
        try
        {
            return JsonSerializer.Deserialize(plain, LucidJsonContext.Default.CredentialSecrets)
                ?? throw new CryptographicException("The sealed secrets are empty.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
