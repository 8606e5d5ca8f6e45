using Lucid.Secrets;

namespace Lucid.Dreams;

/// <summary>Settings of the dream pipeline.</summary>
public sealed record DreamOptions
{
    /// <summary>
    /// The most UTF-8 bytes the output store may hold after a dream's edits (its report excluded). Curation whose result
    /// is larger is rejected and redone; it is never cut to fit. Defaults to 64 KiB.
    /// </summary>
    public int MemoryBudgetBytes { get; init; } = 64 * 1024;

    /// <summary>How many times curation may be asked for before the dream fails. Defaults to 3.</summary>
    public int MaxCurateAttempts { get; init; } = 3;

    /// <summary>How many dreams run at once in one process. Defaults to 2.</summary>
    public int MaxConcurrentDreams { get; init; } = 2;

    /// <summary>The most characters of session digests shown to the model; the rest are summarized by the mined patterns. Defaults to 120,000.</summary>
    public int MaxDigestCharacters { get; init; } = 120_000;

    /// <summary>
    /// When the token passed to <see cref="DreamPipeline.RunAsync"/> is canceled, end the dream <c>canceled</c> (releasing
    /// its <c>update_existing</c> hold) instead of leaving it <c>running</c> for server recovery to settle. For a process
    /// such as the CLI that has no recovery. Defaults to false.
    /// </summary>
    public bool CancelWhenStopped { get; init; }

    /// <summary>
    /// Secrets the host holds, by value (its model providers' API keys), which a dream redacts from everything it writes
    /// and shows its model, and refuses to write as memory, whatever their shape. Defaults to none.
    /// </summary>
    public IReadOnlyList<KnownSecret> KnownSecrets { get; init; } = [];

    /// <summary>
    /// The key of the vaults, when the host has them: a dream also redacts, and refuses to write, every secret of its
    /// workspace's vault credentials. Defaults to none.
    /// </summary>
    public Vaults.SecretBox? VaultKey { get; init; }
}
