namespace Lucid.Dreams.Stages;

/// <summary>After the mine stage: the patterns across the digests.</summary>
/// <param name="Report">The report so far.</param>
/// <param name="OutputStoreId">The store the dream writes.</param>
/// <param name="Digests">The digests, in the dream's session order.</param>
/// <param name="Evidence">The session of every event read (what a citation may name) and the task of every session.</param>
/// <param name="Mining">The patterns.</param>
internal sealed record MinedDream(
    DreamReport Report, string OutputStoreId, IReadOnlyList<SessionDigest> Digests, DreamEvidence Evidence, MiningReport Mining) : IDreamState;
