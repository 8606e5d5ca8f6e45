namespace Lucid.Dreams.Stages;

/// <summary>After the digest stage: each input session reduced to its digest.</summary>
/// <param name="Report">The report so far.</param>
/// <param name="OutputStoreId">The store the dream writes.</param>
/// <param name="Digests">The digests, in the dream's session order.</param>
/// <param name="Evidence">The session of every event read (what a citation may name) and the task of every session.</param>
internal sealed record DigestedDream(
    DreamReport Report, string OutputStoreId, IReadOnlyList<SessionDigest> Digests, DreamEvidence Evidence) : IDreamState;
