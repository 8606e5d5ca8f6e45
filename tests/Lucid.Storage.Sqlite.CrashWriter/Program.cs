// Appends batches of events to one session forever, printing each committed last sequence number, until killed.
// Usage: CrashWriter <database path> <session id> <batch size>
using System.Globalization;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;

var store = await SqliteStore.OpenAsync(args[0], CancellationToken.None);
var sessionId = args[1];
var batchSize = int.Parse(args[2], CultureInfo.InvariantCulture);
if (await store.GetSessionAsync(sessionId, CancellationToken.None) is null)
{
    var now = DateTimeOffset.UnixEpoch;
    await store.CreateSessionAsync(
        new Session { Id = sessionId, AgentId = "agent_crash", AgentVersion = 1, EnvironmentId = "env_crash", WorkDirectory = "/tmp", CreatedAt = now, UpdatedAt = now },
        CancellationToken.None);
}

var padding = new string('x', 4000);
for (var batch = 0; ; batch++)
{
    var events = Enumerable.Range(0, batchSize)
        .Select(i => (SessionEvent)new AgentMessageEvent
        {
            Id = $"sevt_{Guid.NewGuid():N}",
            ProcessedAt = DateTimeOffset.UnixEpoch.AddSeconds(batch),
            Content = [new TextBlock($"batch {batch} event {i} {padding}")],
        })
        .ToList();
    var logged = await store.AppendAsync(sessionId, events, CancellationToken.None);
    Console.Out.WriteLine(logged[^1].Sequence.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
}
