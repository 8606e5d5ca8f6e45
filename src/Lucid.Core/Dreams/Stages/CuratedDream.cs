namespace Lucid.Dreams.Stages;

/// <summary>After the curate stage: the edits, checked and within the budget, ready to apply.</summary>
/// <param name="Report">The report so far.</param>
/// <param name="OutputStoreId">The store the dream writes.</param>
/// <param name="Plan">The accepted plan.</param>
internal sealed record CuratedDream(DreamReport Report, string OutputStoreId, DreamCuration.Plan Plan) : IDreamState;
