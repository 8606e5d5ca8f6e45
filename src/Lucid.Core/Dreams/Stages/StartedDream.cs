namespace Lucid.Dreams.Stages;

/// <summary>After the start stage: the output store exists (and, for <c>create_new</c>, holds a copy of the input).</summary>
/// <param name="Report">The report so far.</param>
/// <param name="OutputStoreId">The store the dream writes.</param>
internal sealed record StartedDream(DreamReport Report, string OutputStoreId) : IDreamState;
