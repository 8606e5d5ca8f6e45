using System.Collections.Concurrent;

namespace Lucid.Vaults;

/// <summary>One refresh at a time per credential in this process: a rotated refresh token can be spent only once.</summary>
internal static class RefreshGates
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of credential <paramref name="credentialId"/>.</summary>
    public static SemaphoreSlim For(string credentialId) => Gates.GetOrAdd(credentialId, static _ => new SemaphoreSlim(1, 1));
}
