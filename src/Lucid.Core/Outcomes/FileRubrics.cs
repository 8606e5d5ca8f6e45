using Lucid.Events;
using Lucid.Files;
using Lucid.Results;

namespace Lucid.Outcomes;

/// <summary>
/// Reads file rubrics when their outcome is sent: the file's text becomes the rubric the grader sees, kept in the
/// logged event, so the outcome grades the same way even if the file is deleted later.
/// </summary>
internal static class FileRubrics
{
    /// <summary>The events with every file rubric's text read; an error when a file is missing, not text, or too long.</summary>
    public static async Task<Result<IReadOnlyList<SessionEvent>>> ResolveAsync(
        FileService files, string workspaceId, IReadOnlyList<SessionEvent> events, Func<int, string> field, CancellationToken cancellationToken)
    {
        if (!events.Any(e => e is UserDefineOutcomeEvent { Rubric.FileId: not null }))
        {
            return Result<IReadOnlyList<SessionEvent>>.Ok(events);
        }

        var resolved = new List<SessionEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not UserDefineOutcomeEvent { Rubric.FileId: { } fileId } outcome)
            {
                resolved.Add(events[i]);
                continue;
            }

            var text = await files.ReadTextAsync(workspaceId, fileId, Validation.Rules.MaxRubricLength, $"{field(i)}.rubric.file_id", cancellationToken);
            if (!text.IsSuccess)
            {
                return text.Error;
            }

            resolved.Add(outcome with { Rubric = outcome.Rubric with { Content = text.Value } });
        }

        return Result<IReadOnlyList<SessionEvent>>.Ok(resolved);
    }
}
