using System.Globalization;
using Lucid.Events;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// How an append announces itself to other processes: <c>pg_notify</c> on one channel, in the appending transaction, so
/// PostgreSQL sends the notice only once the events are committed (and never for a rolled-back append). The payload is
/// the log's ID and the last sequence number the append committed, separated by a space.
/// </summary>
internal static class LogAnnouncements
{
    /// <summary>The channel every process listens on.</summary>
    public const string Channel = "lucid_log_committed";

    public static Task AnnounceAsync(NpgsqlConnection connection, string logId, IReadOnlyList<LoggedEvent> logged) =>
        logged.Count == 0
            ? Task.CompletedTask
            : connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", CancellationToken.None,
                ("@channel", Channel), ("@payload", $"{logId} {logged[^1].Sequence.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The notice a payload stands for, or null for one this version does not read.</summary>
    public static LogCommittedNotice? Read(string payload)
    {
        var parts = payload.Split(' ');
        return parts.Length == 2
            && (Ids.IdPrefixes.Has(parts[0], Ids.IdPrefixes.Session) || Ids.IdPrefixes.Has(parts[0], Ids.IdPrefixes.Thread))
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                ? new LogCommittedNotice(LogId.Of(parts[0]), last)
                : null;
    }
}
