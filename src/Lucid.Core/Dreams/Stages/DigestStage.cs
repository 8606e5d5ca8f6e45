using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lucid.Outcomes;
using Lucid.Storage;

namespace Lucid.Dreams.Stages;

/// <summary>The digest stage (no model): reduces each input session to a digest and learns which session each event belongs to.</summary>
internal sealed class DigestStage(DreamRun run, ILucidStore store)
{
    public async Task<DigestedDream> RunAsync(StartedDream started, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var evidence = new DreamEvidence();
        var digests = new List<SessionDigest>();
        var lines = new StringBuilder();
        long events = 0;
        foreach (var id in dream.SessionIds)
        {
            var session = await store.GetSessionAsync(id, cancellationToken);
            if (session is null || session.WorkspaceId != dream.WorkspaceId)
            {
                throw new DreamFailedException("input_unavailable", $"Session '{id}' no longer exists.");
            }

            evidence.AddSession(id, Sessions.SessionTasks.TaskIdOf(session.Metadata));
            var digest = await SessionDigester.DigestAsync(store, session, cancellationToken, logged => evidence.AddEvent(logged.Event.Id, id));
            digests.Add(digest);
            events += digest.EventCount;
            lines.Append(CultureInfo.InvariantCulture, $"{id}: {digest.EventCount} events, outcome {digest.FinalResult?.ToWire() ?? "none"}, {digest.ToolErrors.Count} tool errors\n");
        }

        var report = (started.Report with { Events = events }).Done(DreamStage.Digest);
        await run.Journal.ToolAsync("read_sessions", new JsonObject { ["session_ids"] = new JsonArray([.. dream.SessionIds.Select(s => JsonValue.Create(s))]) }, lines.ToString(), cancellationToken);
        await run.NoteAsync(DreamStage.Digest, string.Create(CultureInfo.InvariantCulture, $"Digested {digests.Count} sessions ({events} events)."), cancellationToken);
        return new DigestedDream(report, started.OutputStoreId, digests, evidence);
    }
}
