namespace Lucid.Dreams;

/// <summary>
/// One edit the curate stage proposes: <c>add</c> a lesson at a free path, <c>update</c> the lesson at a path,
/// <c>merge</c> the memories at <see cref="Sources"/> into one lesson at <see cref="Path"/>, or <c>retire</c> the memory
/// at a path (it is deleted and stays in the store's history).
/// </summary>
/// <param name="Op">As the model wrote it; <see cref="DreamCuration"/> accepts the names of <see cref="DreamOperationKind"/>.</param>
/// <param name="Path">The path written or retired.</param>
/// <param name="Sources">For a merge, the paths merged (two or more; the target may be one of them).</param>
/// <param name="Title">The lesson's title (add, update, merge).</param>
/// <param name="When">When the lesson applies.</param>
/// <param name="Do">What to do.</param>
/// <param name="EventIds">The supporting events; for a retire, the newer evidence that contradicts the lesson.</param>
/// <param name="Reason">Why, for the report.</param>
internal sealed record DreamOperation(
    string Op, string Path, IReadOnlyList<string> Sources, string Title, string When, string Do, IReadOnlyList<string> EventIds, string Reason);
