using System.Security.Cryptography;

namespace Lucid.Ids;

/// <summary>Creates resource IDs such as <c>sesn_…</c>. Injectable so tests get deterministic IDs.</summary>
public abstract class IdGenerator
{
    /// <summary>The default generator: a prefix, an underscore and 24 random base62 characters.</summary>
    public static IdGenerator Random { get; } = new RandomIdGenerator();

    /// <summary>Returns a new ID with the given prefix (without the underscore).</summary>
    public abstract string NewId(string prefix);

    private sealed class RandomIdGenerator : IdGenerator
    {
        private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        public override string NewId(string prefix) =>
            string.Create(prefix.Length + 25, prefix, static (span, p) =>
            {
                p.AsSpan().CopyTo(span);
                span[p.Length] = '_';
                RandomNumberGenerator.GetItems(Alphabet, span[(p.Length + 1)..]);
            });
    }
}
