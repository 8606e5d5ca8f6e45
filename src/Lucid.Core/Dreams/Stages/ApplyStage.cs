using System.Text.Json.Nodes;
using Lucid.Memory;
using Lucid.Results;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The apply stage: writes the curated edits and the report to the output store in one atomic batch, then records each
/// write in the dream's session. Finishing a review writes its accepted edits the same way.
/// </summary>
internal sealed class ApplyStage(DreamRun run, MemoryService memory)
{
    public async Task RunAsync(CuratedDream curated, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var outputId = curated.OutputStoreId;
        var report = (curated.Report with { Changes = curated.Plan.Changes }).Done(DreamStage.Apply);
        var edits = curated.Plan.Edits.Append(MemoryEdit.Create(dream.ReportPath, report.Render(null, run.Secrets))).ToList();
        DreamFailedException.Unwrap(await WriteAsync(outputId, edits, cancellationToken), "memory_write_failed", "The edits could not be applied, so none were: ");
    }

    /// <summary>Applies <paramref name="edits"/> (the last one the report) in one atomic batch, then records each write in the dream's session.</summary>
    public async Task<Result<IReadOnlyList<MemoryDocument?>>> WriteAsync(string outputId, IReadOnlyList<MemoryEdit> edits, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var result = await memory.ApplyEditsAsync(dream.WorkspaceId, outputId, edits, run.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return result;
        }

        var applied = result.Value;

        // The edits are committed: the dream has done its work, so neither a cancel nor a journal error may undo that.
        try
        {
            for (var i = 0; i < edits.Count; i++)
            {
                var written = applied[i];
                await run.Journal.ToolAsync("write_memory",
                    new JsonObject { ["memory_store_id"] = outputId, ["operation"] = Operation(edits[i].Kind), ["path"] = edits[i].Path, ["expected_sha256"] = edits[i].ExpectedSha256 },
                    written is null ? $"Deleted {edits[i].Path} (its earlier versions stay in the history)." : $"Wrote {written.Path}: version {written.VersionId}, sha256 {written.ContentSha256}.",
                    CancellationToken.None);
            }

            await run.NoteAsync(DreamStage.Apply, $"Applied {edits.Count - 1} edits to {outputId} and wrote the report {dream.ReportPath}.", CancellationToken.None);
        }
        catch (Exception)
        {
            // Journaling after the commit is best effort; the memory versions already name the dream.
        }

        return result;
    }

    // The journal's name of an edit, stored in the session's events: spelled out, never a C# member name.
    private static string Operation(MemoryEditKind kind) => kind switch
    {
        MemoryEditKind.Create => "create",
        MemoryEditKind.Update => "update",
        MemoryEditKind.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
