using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lucid.Memory;
using Lucid.Secrets;

namespace Lucid.Dreams;

/// <summary>
/// Turns the curate stage's operations into memory edits, checking each one in code: paths per
/// <see cref="MemoryPaths"/>, targets that exist (or are free), citations that are events of the input sessions,
/// near-duplicates, and the store's size budget. An operation whose content holds a secret is refused and noted,
/// never written; any other problem rejects the whole proposal so it is curated again.
/// </summary>
internal static partial class DreamCuration
{
    private const double DuplicateSimilarity = 0.8;

    public sealed record Plan(
        IReadOnlyList<MemoryEdit> Edits, IReadOnlyList<DreamChange> Changes, IReadOnlyList<string> Refused, IReadOnlyList<string> Problems, long ResultBytes, bool OverBudget);

    public static Plan Check(
        IReadOnlyList<DreamOperation> operations,
        IReadOnlyDictionary<string, MemoryDocument> snapshot,
        DreamEvidence evidence,
        int sessionsRead,
        string dreamId,
        int budgetBytes,
        SecretScanner secrets)
    {
        var problems = new List<string>();
        var refused = new List<string>();
        var changes = new List<DreamChange>();
        var deletes = new List<MemoryEdit>();
        var updates = new List<MemoryEdit>();
        var creates = new List<MemoryEdit>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<(string Path, string Content)>();

        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var name = $"operation {i + 1} ({op.Op} {op.Path})";
            if (!DreamNames.TryParseOperationKind(op.Op, out var kind))
            {
                problems.Add($"{name}: op must be add, update, merge, retire or add_skill.");
                continue;
            }

            // Skills are checked apart, by DreamSkillCuration; they are not memory.
            if (kind == DreamOperationKind.AddSkill)
            {
                continue;
            }

            // A new lesson whose evidence all comes from one task is that task's: sessions of other tasks do not list it.
            if (kind == DreamOperationKind.Add && evidence.TasksOf(op.EventIds).SpecificTask is { } task && op.Path is { Length: > 0 })
            {
                op = op with { Path = TaskLessons.PlaceFor(task, op.Path) };
            }

            if (MemoryPaths.Validate(op.Path) is { } pathError)
            {
                problems.Add($"{name}: {pathError.Message}");
                continue;
            }

            if (Dream.IsReportPath(op.Path))
            {
                problems.Add($"{name}: paths under {Dream.ReportsPrefix} are reserved for dream reports.");
                continue;
            }

            var unknown = op.EventIds.Where(e => !evidence.Contains(e)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"{name}: cites event IDs that are not events of the input sessions: {string.Join(", ", unknown.Take(10))}. Cite only IDs shown in the digests.");
                continue;
            }

            var writes = kind != DreamOperationKind.Retire;
            if (writes && (Blank(op.Title) || Blank(op.When) || Blank(op.Do)))
            {
                problems.Add($"{name}: a lesson needs a title, when it applies (when) and what to do (do).");
                continue;
            }

            // A merge writes a new lesson too; without its own citations it would end with none.
            if (op.EventIds.Count == 0)
            {
                problems.Add($"{name}: cite the event IDs that support it{(kind == DreamOperationKind.Retire ? " (the newer evidence that contradicts the lesson)" : "")}.");
                continue;
            }

            if (Blank(op.Reason))
            {
                problems.Add($"{name}: give a reason.");
                continue;
            }

            var content = writes ? LessonMarkdown.Render(op.Title, op.When, op.Do, op.EventIds, evidence, sessionsRead, dreamId) : "";
            if (writes && MemoryPaths.ValidateContent(content) is { } contentError)
            {
                problems.Add($"{name}: the lesson as written is not a valid memory: {contentError.Message} Shorten it.");
                continue;
            }

            // The path and sources are written too (as the memory's path, in versions and in the report), so they are scanned.
            var found = secrets.Find($"{op.Path}\n{string.Join("\n", op.Sources)}\n{content}\n{op.Title}\n{op.Reason}");
            if (found.Count > 0)
            {
                refused.Add($"{op.Op} {secrets.Redact(op.Path)}: refused — it contained {Article(found[0])}{(found.Count > 1 ? $" (and {found.Count - 1} other kind(s) of secret)" : "")}. Nothing of it was written.");
                continue;
            }

            switch (kind)
            {
                case DreamOperationKind.Add:
                    if (snapshot.ContainsKey(op.Path) || !touched.Add(op.Path))
                    {
                        problems.Add($"{name}: the path is already used; update it, merge into it, or pick a free path.");
                        continue;
                    }

                    creates.Add(MemoryEdit.Create(op.Path, content));
                    added.Add((op.Path, content));
                    changes.Add(new DreamChange(kind, op.Path, [], op.Reason, op.EventIds, []) { Content = content });
                    break;
                case DreamOperationKind.Update:
                    if (!snapshot.TryGetValue(op.Path, out var current) || !touched.Add(op.Path))
                    {
                        problems.Add($"{name}: there is no memory at that path to update (or another operation already changes it).");
                        continue;
                    }

                    updates.Add(MemoryEdit.Update(op.Path, content, current.ContentSha256));
                    changes.Add(new DreamChange(kind, op.Path, [], op.Reason, op.EventIds, [current.VersionId]) { Content = content, Replaces = [DreamChange.Replaced(current)] });
                    break;
                case DreamOperationKind.Merge:
                    var sources = op.Sources.Distinct(StringComparer.Ordinal).ToList();
                    if (sources.Any(Dream.IsReportPath))
                    {
                        problems.Add($"{name}: sources under {Dream.ReportsPrefix} are dream reports; a merge may not take (and delete) them.");
                        continue;
                    }

                    if (sources.Count < 2 || sources.Any(s => !snapshot.ContainsKey(s) || touched.Contains(s)))
                    {
                        problems.Add($"{name}: sources must list two or more existing memories that no other operation changes.");
                        continue;
                    }

                    if (snapshot.ContainsKey(op.Path) && !sources.Contains(op.Path))
                    {
                        problems.Add($"{name}: the target path holds a memory that is not one of the sources; merge into a source or a free path.");
                        continue;
                    }

                    if (!sources.Contains(op.Path) && !touched.Add(op.Path))
                    {
                        problems.Add($"{name}: another operation already writes the target path.");
                        continue;
                    }

                    foreach (var source in sources)
                    {
                        touched.Add(source);
                        var memory = snapshot[source];
                        if (source == op.Path)
                        {
                            updates.Add(MemoryEdit.Update(source, content, memory.ContentSha256));
                        }
                        else
                        {
                            deletes.Add(MemoryEdit.Delete(source, memory.ContentSha256));
                        }
                    }

                    if (!sources.Contains(op.Path))
                    {
                        creates.Add(MemoryEdit.Create(op.Path, content));
                    }

                    changes.Add(new DreamChange(kind, op.Path, sources, op.Reason, op.EventIds, [.. sources.Select(s => snapshot[s].VersionId)])
                    {
                        Content = content,
                        Replaces = [.. sources.Select(s => DreamChange.Replaced(snapshot[s]))],
                    });
                    break;
                case DreamOperationKind.Retire:
                    if (!snapshot.TryGetValue(op.Path, out var retired) || !touched.Add(op.Path))
                    {
                        problems.Add($"{name}: there is no memory at that path to retire (or another operation already changes it).");
                        continue;
                    }

                    deletes.Add(MemoryEdit.Delete(op.Path, retired.ContentSha256));
                    changes.Add(new DreamChange(kind, op.Path, [], op.Reason, op.EventIds, [retired.VersionId]) { Replaces = [DreamChange.Replaced(retired)] });
                    break;
            }
        }

        var deleted = deletes.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        var replaced = updates.ToDictionary(u => u.Path, u => u.Content ?? "", StringComparer.Ordinal);
        var remaining = snapshot.Values.Where(m => !deleted.Contains(m.Path)).ToList();

        // Near-duplicates: a new lesson that says what a kept memory (or another new lesson) already says.
        for (var i = 0; i < added.Count; i++)
        {
            var words = Words(added[i].Content);
            var twin = remaining.Where(m => !Dream.IsReportPath(m.Path))
                .Select(m => (m.Path, Content: replaced.GetValueOrDefault(m.Path, m.Content ?? "")))
                .Concat(added.Take(i))
                .FirstOrDefault(other => Similarity(words, Words(other.Content)) >= DuplicateSimilarity);
            if (twin.Path is not null)
            {
                problems.Add($"add {added[i].Path}: it repeats the memory at {twin.Path}; update or merge that memory instead.");
            }
        }

        var finalPaths = remaining.Select(m => m.Path).Concat(creates.Select(c => c.Path)).ToList();
        foreach (var create in creates)
        {
            if (finalPaths.FirstOrDefault(p => p != create.Path && MemoryPaths.Overlaps(p, create.Path)) is { } clash)
            {
                problems.Add($"add {create.Path}: it overlaps {clash} (one is a directory of the other); pick another path.");
            }
        }

        long bytes = remaining.Where(m => !Dream.IsReportPath(m.Path))
            .Sum(m => replaced.TryGetValue(m.Path, out var next) ? Encoding.UTF8.GetByteCount(next) : m.ContentSizeBytes);
        bytes += creates.Sum(c => Encoding.UTF8.GetByteCount(c.Content ?? ""));
        var overBudget = bytes > budgetBytes;
        if (overBudget)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"The store would hold {bytes:N0} bytes of memories, over its budget of {budgetBytes:N0} bytes. Merge near-duplicates, shorten lessons, or retire lessons that no longer help; keep each lesson's evidence."));
        }

        return new Plan([.. deletes, .. updates, .. creates], changes, refused, problems, bytes, overBudget);
    }

    private static bool Blank(string text) => string.IsNullOrWhiteSpace(text);

    private static string Article(string kind) => "aeiouAEIOU".Contains(kind[0], StringComparison.Ordinal) ? $"an {kind}" : $"a {kind}";

    // The words of a memory's text, leaving out its evidence list and IDs, which say nothing about what it teaches.
    private static HashSet<string> Words(string content)
    {
        var evidence = content.IndexOf(LessonMarkdown.EvidenceLabel, StringComparison.Ordinal);
        var text = evidence < 0 ? content : content[..evidence];
        text = text.Replace("**When it applies:**", " ", StringComparison.Ordinal).Replace("**What to do:**", " ", StringComparison.Ordinal);
        return Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3 && !w.Contains('_', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    private static double Similarity(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Count(b.Contains) / (a.Count + b.Count - a.Count(b.Contains));

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();
}
