using Lucid.Events;
using Lucid.Storage;

namespace Lucid.Sessions;

/// <summary>
/// Finds input events that were sent with their IDs already given, in the log: a resend after the node that took the
/// first send died before answering finds what that node committed, if it did.
/// </summary>
internal static class SentEvents
{
    private const int PageSize = 100;

    /// <summary>The logged events with these IDs, newest last; empty when none of them was committed.</summary>
    /// <remarks>One send commits its events in one transaction, so either all of them are found or none is.</remarks>
    public static async Task<IReadOnlyList<LoggedEvent>> FindAsync(IEventLog log, LogId logId, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        // Only input events can match, newest first: a resend follows its first send by seconds.
        var query = new EventQuery { Types = inputs.Select(e => e.Type).ToHashSet(StringComparer.Ordinal), Descending = true };
        var wanted = inputs.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var found = new List<LoggedEvent>();
        string? cursor = null;
        do
        {
            var page = await log.ListEventsAsync(logId.Value, query, new PageRequest(PageSize, cursor), cancellationToken);
            found.AddRange(page.Items.Where(e => wanted.Contains(e.Event.Id)));
            cursor = found.Count == wanted.Count ? null : page.NextPage;
        }
        while (cursor is not null);

        return [.. found.OrderBy(e => e.Sequence)];
    }
}
