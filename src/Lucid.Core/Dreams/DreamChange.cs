namespace Lucid.Dreams;

/// <summary>One change a dream made (or refused to make) to its output store, for the report.</summary>
/// <param name="Op">What was done.</param>
/// <param name="Path">The path written or retired.</param>
/// <param name="Sources">For a merge, the paths merged.</param>
/// <param name="Reason">Why.</param>
/// <param name="EventIds">The events cited.</param>
/// <param name="PreviousVersionIds">The versions that held the replaced or retired content, which stay in the store's history.</param>
internal sealed record DreamChange(DreamOperationKind Op, string Path, IReadOnlyList<string> Sources, string Reason, IReadOnlyList<string> EventIds, IReadOnlyList<string> PreviousVersionIds);
