// Many appenders at once, two per session, each appending batches of events forever and printing "<session> <last
// sequence>" after each committed batch, until killed. Concurrent appenders make the store commit several callers'
// batches in each transaction, so a kill lands in the middle of such groups. With a fifth argument N, the process
// SIGKILLs itself right after reporting its Nth batch: the sharpest test that a reported batch was committed.
// Usage: CrashWriter <database path> <session prefix> <batch size> <appenders> [die after N batches]
using System.Diagnostics;
using System.Globalization;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;

var store = await SqliteStore.OpenAsync(args[0], CancellationToken.None);
var prefix = args[1];
var batchSize = int.Parse(args[2], CultureInfo.InvariantCulture);
var appenders = int.Parse(args[3], CultureInfo.InvariantCulture);
var dieAfter = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : int.MaxValue;
var reported = 0;
var sessions = Enumerable.Range(0, (appenders + 1) / 2).Select(i => $"{prefix}_{i:D2}").ToList();
foreach (var sessionId in sessions)
{
    if (await store.GetSessionAsync(sessionId, CancellationToken.None) is null)
    {
        var now = DateTimeOffset.UnixEpoch;
        await store.CreateSessionAsync(
            new Session { Id = sessionId, AgentId = "agent_crash", AgentVersion = 1, EnvironmentId = "env_crash", WorkDirectory = "/tmp", CreatedAt = now, UpdatedAt = now },
            CancellationToken.None);
    }
}

var output = new Lock();
var padding = new string('x', 4000);
await Task.WhenAll(Enumerable.Range(0, appenders).Select(appender => Task.Run(async () =>
{
    var sessionId = sessions[appender / 2];
    var run = Guid.NewGuid().ToString("N");
    for (var batch = 0; ; batch++)
    {
        // Each event names its batch and its place in it, so a reader can tell a whole batch from part of one.
        var events = Enumerable.Range(0, batchSize)
            .Select(i => (SessionEvent)new AgentMessageEvent
            {
                Id = $"sevt_{Guid.NewGuid():N}",
                ProcessedAt = DateTimeOffset.UnixEpoch.AddSeconds(batch),
                Content = [new TextBlock($"{run}/{batch} {i} {padding}")],
            })
            .ToList();
        var logged = await store.AppendAsync(sessionId, events, CancellationToken.None);
        lock (output)
        {
            Console.Out.WriteLine($"{sessionId} {logged[^1].Sequence.ToString(CultureInfo.InvariantCulture)}");
            Console.Out.Flush();
            if (++reported == dieAfter)
            {
                Process.GetCurrentProcess().Kill();
            }
        }
    }
})));
