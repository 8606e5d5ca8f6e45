using System.Security.Cryptography;

namespace Lucid.Ids;

/// <summary>Creates resource IDs such as <c>sesn_…</c>. Injectable so tests get deterministic IDs.</summary>
public abstract class IdGenerator
{
    /// <summary>The default generator: a prefix, an underscore and 24 random base62 characters.</summary>
    public static IdGenerator Random { get; } = new RandomIdGenerator();

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Returns a new ID with the given prefix (without the underscore).</summary>
    public abstract string NewId(string prefix);

    /// <summary>
    /// An ID that is always the same for the same seed: the prefix and 24 base62 characters of the seed's SHA-256. For
    /// resources that must be found again rather than made twice (an imported session, the dreamer's agent).
    /// </summary>
    public static string Derived(string prefix, string seed)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        return string.Create(prefix.Length + 25, (prefix, hash), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            for (var i = 0; i < 24; i++)
            {
                span[state.prefix.Length + 1 + i] = Alphabet[state.hash[i] % Alphabet.Length];
            }
        });
    }

    private sealed class RandomIdGenerator : IdGenerator
    {
        public override string NewId(string prefix) =>
            string.Create(prefix.Length + 25, prefix, static (span, p) =>
            {
                p.AsSpan().CopyTo(span);
                span[p.Length] = '_';
                RandomNumberGenerator.GetItems(Alphabet, span[(p.Length + 1)..]);
            });
    }
}
