using System.Globalization;
using System.Text;
using Lucid.Memory;

namespace Lucid.Dreams;

/// <summary>What a dream did, as the markdown report it writes to <c>/dreams/&lt;dream id&gt;.md</c> in its output store.</summary>
internal sealed class DreamReport
{
    public required Dream Dream { get; set; }

    public int InputMemories { get; set; }

    public long Events { get; set; }

    public MiningReport? Mining { get; set; }

    public IReadOnlyList<DreamLesson> Lessons { get; set; } = [];

    public IReadOnlyList<string> DroppedLessons { get; set; } = [];

    public IReadOnlyList<DreamChange> Changes { get; set; } = [];

    public IReadOnlyList<string> Refused { get; set; } = [];

    public List<string> RejectedAttempts { get; } = [];

    /// <summary>create_new: memories of the input, copied as they were, in which the scanner found a secret (by kind).</summary>
    public IReadOnlyList<string> CopiedSecrets { get; set; } = [];

    public List<string> StagesDone { get; } = [];

    public long ResultBytes { get; set; }

    public int BudgetBytes { get; init; }

    /// <summary>The most UTF-8 bytes of a rendered report: a memory's limit less room for the note that says what was cut.</summary>
    public const int MaxBytes = MemoryPaths.MaxContentBytes - 2048;

    public static string PathOf(string dreamId) => $"{DreamCuration.ReportsPrefix}{dreamId}.md";

    public string Render(DreamError? error)
    {
        var d = Dream;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Dream {d.Id}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Status: {(error is null ? "completed" : $"failed ({error.Type}): {error.Message}")}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Model: {d.Model}\n");
        if (d.Instructions is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Instructions: {d.Instructions.ReplaceLineEndings(" ")}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"- Read: memory store `{d.InputStoreId}` ({InputMemories} memories) and {d.SessionIds.Count} sessions ({Events} events)\n");
        text.Append(CultureInfo.InvariantCulture, $"- Wrote: memory store `{d.OutputStoreId}` ({(d.OutputBehavior == DreamOutputBehavior.CreateNew ? "create_new: a copy of the input" : "update_existing: the input itself")})\n");
        text.Append(CultureInfo.InvariantCulture, $"- Session: `{d.SessionId}` (its events show every read and write)\n");
        text.Append(CultureInfo.InvariantCulture, $"- Stages done: {(StagesDone.Count == 0 ? "none" : string.Join(", ", StagesDone))}\n");
        if (ResultBytes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Memory size: {ResultBytes:N0} of {BudgetBytes:N0} budget bytes (reports not counted)\n");
        }

        if (Mining is { } mining)
        {
            text.Append("\n## Patterns mined\n\n");
            text.Append(CultureInfo.InvariantCulture, $"{mining.PassingSessions} sessions passed, {mining.FailingSessions} failed, {mining.UngradedSessions} were not graded.\n\n");
            foreach (var error2 in mining.RecurringErrors.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture, $"- `{error2.Tool}` failed with \"{error2.Signature}\" in {error2.Sessions} sessions ({error2.Occurrences} times)");
                if (error2.Fixes.Count > 0)
                {
                    var fix = error2.Fixes[0];
                    text.Append(CultureInfo.InvariantCulture, $"; fixed by `{fix.Change}` in {fix.Sessions} of {error2.Sessions} sessions ({string.Join(", ", fix.SessionIds.Take(10))})");
                }

                text.Append('\n');
            }

            foreach (var reason in mining.FailureReasons.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture, $"- Outcome criterion \"{reason.Criterion}\" unmet {reason.Occurrences} times in {reason.Sessions} sessions ({string.Join(", ", reason.EventIds.Take(10))})\n");
            }
        }

        text.Append("\n## Changes\n\n");
        if (Changes.Count == 0)
        {
            text.Append("None.\n");
        }

        foreach (var change in Changes)
        {
            var title = change.Op switch
            {
                "add" => $"Added `{change.Path}`",
                "update" => $"Updated `{change.Path}`",
                "merge" => $"Merged {string.Join(", ", change.Sources.Select(s => $"`{s}`"))} into `{change.Path}`",
                _ => $"Retired `{change.Path}`",
            };
            text.Append("### ").Append(title).Append("\n\n");
            text.Append("Why: ").Append(change.Reason.ReplaceLineEndings(" ")).Append('\n');
            if (change.EventIds.Count > 0)
            {
                text.Append(change.Op == "retire" ? "Contradicted by: " : "Evidence: ").AppendJoin(", ", change.EventIds.Select(e => $"`{e}`")).Append('\n');
            }

            if (change.PreviousVersionIds.Count > 0)
            {
                text.Append("Previous content kept in history as ").AppendJoin(", ", change.PreviousVersionIds.Select(v => $"`{v}`")).Append('\n');
            }

            text.Append('\n');
        }

        if (Refused.Count > 0)
        {
            text.Append("## Refused\n\n");
            foreach (var note in Refused)
            {
                text.Append("- ").Append(note).Append('\n');
            }

            text.Append('\n');
        }

        if (CopiedSecrets.Count > 0)
        {
            text.Append("## Secrets copied from the input\n\n");
            text.Append("These memories of the input store look like they hold a secret. The dream copied them as they were (it does not\n");
            text.Append("rewrite what it did not write) and wrote no secret of its own; remove the secret from both stores.\n\n");
            foreach (var note in CopiedSecrets)
            {
                text.Append("- ").Append(note).Append('\n');
            }

            text.Append('\n');
        }

        if (RejectedAttempts.Count > 0)
        {
            text.Append("## Curation attempts rejected\n\n");
            foreach (var note in RejectedAttempts)
            {
                text.Append("- ").Append(note.ReplaceLineEndings(" ")).Append('\n');
            }

            text.Append('\n');
        }

        if (Lessons.Count > 0 || DroppedLessons.Count > 0)
        {
            text.Append("## Candidate lessons\n\n");
            foreach (var lesson in Lessons)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {lesson.Title.ReplaceLineEndings(" ")} ({string.Join(", ", lesson.EventIds.Take(10))})\n");
            }

            foreach (var note in DroppedLessons)
            {
                text.Append("- dropped: ").Append(note).Append('\n');
            }
        }

        return Fit(SecretScanner.Redact(text.ToString()));
    }

    // A report that does not fit in a memory would make the whole apply batch fail; it is cut at a line, and says so.
    private static string Fit(string text)
    {
        var total = Encoding.UTF8.GetByteCount(text);
        if (total <= MaxBytes)
        {
            return text;
        }

        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Encoding.UTF8.GetByteCount(text.AsSpan(0, mid)) <= MaxBytes)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        var cut = low;
        var line = text.LastIndexOf('\n', Math.Max(0, cut - 1));
        if (line > cut / 2)
        {
            cut = line + 1;
        }
        else if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        var sections = text[cut..].Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();
        var left = sections.Count == 0 ? "the end of its last section" : $"the end of the section it cut into and {string.Join(", ", sections.Take(5).Select(s => $"\"{Shorten(s)}\""))}{(sections.Count > 5 ? " and more" : "")}";
        return text[..cut] + string.Create(CultureInfo.InvariantCulture,
            $"\n\n(Report cut: it came to {total:N0} bytes and a memory holds at most {MemoryPaths.MaxContentBytes:N0}. Left out: {left}. The dream's session records every step.)\n");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
