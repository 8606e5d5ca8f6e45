using System.Globalization;
using System.Text;
using Lucid.Dreams.Review;
using Lucid.Memory;
using Lucid.Secrets;

namespace Lucid.Dreams;

/// <summary>
/// What a dream did, as the markdown report it writes to <see cref="Dream.ReportPath"/> in its output store. Each stage
/// returns the report with what it added, so a failed dream reports the stages it finished.
/// </summary>
internal sealed record DreamReport
{
    /// <summary>The most UTF-8 bytes of a rendered report: a memory's limit less room for the note that says what was cut.</summary>
    public const int MaxBytes = MemoryPaths.MaxContentBytes - 2048;

    /// <summary>The dream, with its session and (once known) its output store.</summary>
    public required Dream Dream { get; init; }

    public int InputMemories { get; init; }

    /// <summary>create_new: memories of the input, copied as they were, in which the scanner found a secret (by kind).</summary>
    public IReadOnlyList<string> CopiedSecrets { get; init; } = [];

    public long Events { get; init; }

    public MiningReport? Mining { get; init; }

    public IReadOnlyList<DreamLesson> Lessons { get; init; } = [];

    public IReadOnlyList<string> DroppedLessons { get; init; } = [];

    public IReadOnlyList<string> RejectedAttempts { get; init; } = [];

    public IReadOnlyList<string> Refused { get; init; } = [];

    public long ResultBytes { get; init; }

    public int BudgetBytes { get; init; }

    /// <summary>Lesson validation by replay: the settings and, once the stage ran, each lesson's lift; null without validation.</summary>
    public Validation.DreamValidation? Validation { get; init; }

    /// <summary>The changes written; set only once they are.</summary>
    public IReadOnlyList<DreamChange> Changes { get; init; } = [];

    public IReadOnlyList<DreamStage> StagesDone { get; init; } = [];

    /// <summary>This report with <paramref name="stage"/> done.</summary>
    public DreamReport Done(DreamStage stage) => this with { StagesDone = [.. StagesDone, stage] };

    /// <summary>The report as markdown, with every secret <paramref name="secrets"/> finds redacted, cut to fit a memory.</summary>
    public string Render(DreamError? error, SecretScanner secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return Fit(secrets.Redact(Head(error).Replace(OutputLine, Wrote(Dream), StringComparison.Ordinal) + RenderChanges(Changes) + Tail()));
    }

    /// <summary>
    /// For a review: the report before and after its changes section, redacted, with the line naming the output store
    /// left as <see cref="OutputLine"/> (a <c>create_new</c> store does not exist until the review is finished).
    /// </summary>
    public (string Head, string Tail) RenderForReview(SecretScanner secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return (secrets.Redact(Head(null)), secrets.Redact(Tail()));
    }

    /// <summary>A reviewed dream's report: the parts <see cref="RenderForReview"/> kept around the decided changes.</summary>
    public static string Assemble(Dream dream, string head, IReadOnlyList<DreamChange> changes, string tail, SecretScanner secrets)
    {
        ArgumentNullException.ThrowIfNull(dream);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(secrets);
        return Fit(secrets.Redact(head.Replace(OutputLine, Wrote(dream), StringComparison.Ordinal) + RenderChanges(changes) + tail));
    }

    /// <summary>Where the head of a report names the output store, filled in when the report is written.</summary>
    internal const string OutputLine = "- Wrote: (the output store)\n";

    private static string Wrote(Dream d) =>
        $"- Wrote: memory store `{d.OutputStoreId}` ({d.OutputBehavior.ToWire()}: {(d.OutputBehavior == DreamOutputBehavior.CreateNew ? "a copy of the input" : "the input itself")})\n";

    private string Head(DreamError? error)
    {
        var d = Dream;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Dream {d.Id}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Status: {(error is null ? DreamStatus.Completed.ToWire() : $"{DreamStatus.Failed.ToWire()} ({error.Type}): {error.Message}")}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Model: {d.Model}\n");
        if (d.Instructions is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Instructions: {d.Instructions.ReplaceLineEndings(" ")}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"- Read: memory store `{d.InputStoreId}` ({InputMemories} memories) and {d.SessionIds.Count} sessions ({Events} events)\n");
        text.Append(OutputLine);
        text.Append(CultureInfo.InvariantCulture, $"- Session: `{d.SessionId}` (its events show every read and write)\n");
        text.Append(CultureInfo.InvariantCulture, $"- Stages done: {(StagesDone.Count == 0 ? "none" : string.Join(", ", StagesDone.Select(s => s.ToWire())))}\n");
        if (ResultBytes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Memory size: {ResultBytes:N0} of {BudgetBytes:N0} budget bytes (reports not counted)\n");
        }

        if (Mining is { } mining)
        {
            text.Append("\n## Patterns mined\n\n");
            text.Append(CultureInfo.InvariantCulture, $"{mining.PassingSessions} sessions passed, {mining.FailingSessions} failed, {mining.UngradedSessions} were not graded.");
            if (mining.SessionsWithTask > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" {mining.SessionsWithTask} of them named their task: {mining.Tasks} distinct tasks.");
            }

            text.Append("\n\n");
            foreach (var pattern in mining.RecurringErrors.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture, $"- `{pattern.Tool}` failed with \"{pattern.Signature}\" in {pattern.Sessions} sessions{TasksOf(mining, pattern.Tasks)} ({pattern.Occurrences} times)");
                if (pattern.Fixes.Count > 0)
                {
                    var fix = pattern.Fixes[0];
                    text.Append(CultureInfo.InvariantCulture, $"; fixed by `{fix.Change}` in {fix.Sessions} of {pattern.Sessions} sessions ({string.Join(", ", fix.SessionIds.Take(10))})");
                }

                text.Append('\n');
            }

            foreach (var reason in mining.FailureReasons.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture, $"- Outcome criterion \"{reason.Criterion}\" unmet {reason.Occurrences} times in {reason.Sessions} sessions{TasksOf(mining, reason.Tasks)} ({string.Join(", ", reason.EventIds.Take(10))})\n");
            }

            foreach (var workflow in mining.Workflows.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture, $"- Workflow `{workflow.Sequence}` succeeded in {workflow.Sessions} sessions{TasksOf(mining, workflow.Tasks)} ({string.Join(", ", workflow.SessionIds.Take(10))})\n");
            }
        }

        return text.ToString();
    }

    // ", of 3 tasks" when the sessions mined named their tasks; nothing otherwise.
    private static string TasksOf(MiningReport mining, int tasks) =>
        mining.SessionsWithTask == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" of {tasks} {(tasks == 1 ? "task" : "tasks")}");

    // The changes written and, after a review, the changes rejected, each with the reviewer's note.
    private static string RenderChanges(IReadOnlyList<DreamChange> changes)
    {
        var text = new StringBuilder("\n## Changes\n\n");
        var written = changes.Where(c => c.Decision != DreamDecision.Rejected).ToList();
        if (written.Count == 0)
        {
            text.Append("None.\n");
        }

        foreach (var change in written)
        {
            Change(text, change);
        }

        var rejected = changes.Where(c => c.Decision == DreamDecision.Rejected).ToList();
        if (rejected.Count > 0)
        {
            text.Append("## Rejected in review\n\nProposed by the dream and rejected by a reviewer; nothing of them was written.\n\n");
            foreach (var change in rejected)
            {
                Change(text, change);
            }
        }

        return text.ToString();
    }

    private static void Change(StringBuilder text, DreamChange change)
    {
        var title = change.Op switch
        {
            DreamOperationKind.Add => $"Added `{change.Path}`",
            DreamOperationKind.Update => $"Updated `{change.Path}`",
            DreamOperationKind.Merge => $"Merged {string.Join(", ", change.Sources.Select(s => $"`{s}`"))} into `{change.Path}`",
            DreamOperationKind.AddSkill => $"Added skill `{change.Path}`",
            _ => $"Retired `{change.Path}`",
        };
        if (change.Decision == DreamDecision.Rejected)
        {
            title = "Not " + char.ToLowerInvariant(title[0]) + title[1..];
        }

        text.Append("### ").Append(title).Append("\n\n");
        text.Append("Why: ").Append(change.Reason.ReplaceLineEndings(" ")).Append('\n');
        if (change.Skill is { } skill)
        {
            text.Append("Workflow: `").Append(skill.Workflow).Append("`, cited from sessions ").AppendJoin(", ", skill.SessionIds.Select(s => $"`{s}`")).Append('\n');
        }

        if (change.EventIds.Count > 0)
        {
            text.Append(change.Op == DreamOperationKind.Retire ? "Contradicted by: " : "Evidence: ").AppendJoin(", ", change.EventIds.Select(e => $"`{e}`")).Append('\n');
        }

        if (change.PreviousVersionIds.Count > 0 && change.Decision != DreamDecision.Rejected)
        {
            text.Append("Previous content kept in history as ").AppendJoin(", ", change.PreviousVersionIds.Select(v => $"`{v}`")).Append('\n');
        }

        if (change.ReviewNote is { } note)
        {
            text.Append("Review: ").Append(note).Append('\n');
        }

        text.Append('\n');
    }

    private string Tail()
    {
        var text = new StringBuilder();
        List(text, "Refused", null, Refused);
        List(text, "Secrets copied from the input",
            "These memories of the input store look like they hold a secret. The dream copied them as they were (it does not\n" +
            "rewrite what it did not write) and wrote no secret of its own; remove the secret from both stores.\n\n", CopiedSecrets);
        List(text, "Curation attempts rejected", null, [.. RejectedAttempts.Select(n => n.ReplaceLineEndings(" "))]);
        if (Validation is { } validation)
        {
            text.Append(Lucid.Dreams.Validation.ValidationSection.Render(validation));
        }

        if (Lessons.Count > 0 || DroppedLessons.Count > 0)
        {
            text.Append("## Candidate lessons\n\n");
            foreach (var lesson in Lessons)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {lesson.Title.ReplaceLineEndings(" ")}{Span(lesson.Tasks)} ({string.Join(", ", lesson.EventIds.Take(10))})\n");
            }

            foreach (var note in DroppedLessons)
            {
                text.Append("- dropped: ").Append(note).Append('\n');
            }
        }

        return text.ToString();
    }

    // How many tasks a lesson's evidence spans, when its sessions named theirs.
    private static string Span(EvidenceTasks tasks) => tasks switch
    {
        { SpecificTask: { } task } => $" — task-specific: all its evidence is from task `{task}`",
        { Tasks.Count: > 0 } => string.Create(CultureInfo.InvariantCulture, $" — evidence spans {tasks.Tasks.Count} tasks{(tasks.AllNamed ? "" : " and sessions naming none")}"),
        _ => "",
    };

    private static void List(StringBuilder text, string heading, string? intro, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        text.Append("## ").Append(heading).Append("\n\n").Append(intro);
        foreach (var note in notes)
        {
            text.Append("- ").Append(note).Append('\n');
        }

        text.Append('\n');
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
