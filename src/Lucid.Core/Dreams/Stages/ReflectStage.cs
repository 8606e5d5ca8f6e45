using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Json;
using Lucid.Memory;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The reflect stage (model): shows the model the mined patterns, the digests and the output store, and keeps the
/// candidate lessons that cite at least one event of the input sessions (only those events).
/// </summary>
internal sealed class ReflectStage(DreamRun run, DreamModel model, MemoryService memory, DreamOptions options)
{
    private const int Attempts = 2;

    public async Task<ReflectedDream> RunAsync(MinedDream mined, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var memories = DreamFailedException.Unwrap(await memory.ReadAllAsync(dream.WorkspaceId, mined.OutputStoreId, "/", includeContent: true, cancellationToken), "input_unavailable");
        var snapshot = memories.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var prompt = DreamPrompts.Start(dream)
            .Append("# Patterns mined across the sessions (JSON, with counts and the session and event IDs)\n")
            .Append(JsonSerializer.Serialize(mined.Mining, LucidJsonContext.Default.MiningReport)).Append("\n\n# Session digests\n")
            .Append(Digests(mined.Digests))
            .Append("\n# The memory store now\n").Append(DreamPrompts.Memories(snapshot.Values))
            .ToString();
        IReadOnlyList<DreamLesson>? lessons = null;
        string? problem = null;
        for (var attempt = 0; attempt < Attempts && lessons is null; attempt++)
        {
            lessons = DreamPrompts.ParseLessons(await model.AskAsync(DreamPrompts.Reflect, prompt, problem, cancellationToken), out problem);
        }

        if (lessons is null)
        {
            throw new DreamFailedException("invalid_model_output", $"The model's candidate lessons were not valid JSON for the schema, twice: {problem}");
        }

        var kept = new List<DreamLesson>();
        var dropped = new List<string>();
        foreach (var lesson in lessons)
        {
            var known = lesson.EventIds.Where(mined.Evidence.Contains).Distinct(StringComparer.Ordinal).ToList();
            if (known.Count == 0)
            {
                dropped.Add($"\"{lesson.Title.ReplaceLineEndings(" ")}\" cited no event of the input sessions");
                continue;
            }

            kept.Add(lesson with { EventIds = known, Tasks = mined.Evidence.TasksOf(known) });
        }

        var report = (mined.Report with { Lessons = kept, DroppedLessons = dropped }).Done(DreamStage.Reflect);
        await run.NoteAsync(DreamStage.Reflect, string.Create(CultureInfo.InvariantCulture,
            $"{kept.Count} candidate lessons{(dropped.Count > 0 ? $" ({dropped.Count} dropped for citing no event of the input sessions)" : "")}:\n{string.Join("\n", kept.Select(l => $"- {l.Title} [{string.Join(", ", l.EventIds)}]"))}"),
            cancellationToken);
        return new ReflectedDream(report, mined.OutputStoreId, mined.Evidence, snapshot, kept);
    }

    // As many digests as fit the limit; the mined patterns above still count the sessions left out.
    private string Digests(IReadOnlyList<SessionDigest> digests)
    {
        var text = new StringBuilder();
        for (var i = 0; i < digests.Count; i++)
        {
            var digest = DigestText.Render(digests[i]);
            if (text.Length + digest.Length > options.MaxDigestCharacters)
            {
                text.Append(CultureInfo.InvariantCulture, $"(… {digests.Count - i} more sessions left out for length; the patterns above count them.)\n");
                break;
            }

            text.Append(digest).Append('\n');
        }

        return text.ToString();
    }
}
