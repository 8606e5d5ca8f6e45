using Lucid.Core.Tests.Dreams;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Sessions;

public sealed class LogReadTests
{
    [Fact]
    public async Task A_runner_folds_what_it_appends_without_reading_it_back()
    {
        var (store, hooks) = StoreInterceptor.Over(new InMemoryStore());
        await using var h = await SessionHarness.StartAsync(store: store);
        h.Model
            .CallTool("bash", new { command = "echo one" }).Reply("First done.")
            .CallTool("bash", new { command = "echo two" }).Reply("Second done.");
        var logReads = 0;
        var sessionReads = 0;
        hooks.After = name =>
        {
            if (name == nameof(IEventLog.ReadAsync))
            {
                Interlocked.Increment(ref logReads);
            }
            else if (name == nameof(ISessionStore.GetSessionAsync))
            {
                Interlocked.Increment(ref sessionReads);
            }
        };

        await h.RunTurnAsync("one");
        await h.RunTurnAsync("two");

        // Each RunTurnAsync follows the log once (one replay page); the runner, started with the session it created,
        // knows its log without reading it.
        Assert.Equal(2, logReads);
        // One read per send; the runner has the session it was started with.
        Assert.Equal(2, sessionReads);
        var lastRequest = h.Model.Requests[^1].AllText;
        Assert.Contains("First done.", lastRequest, StringComparison.Ordinal);
        Assert.Contains("two", lastRequest, StringComparison.Ordinal);
        // Two turns of ten events: each ends with a usage snapshot before its idle status.
        Assert.Equal(22, (await h.LogAsync()).Count);
    }

    [Fact]
    public async Task A_one_turn_session_takes_four_commits_its_create_and_three_appends()
    {
        var (store, hooks) = StoreInterceptor.Over(new InMemoryStore());
        await using var h = await SessionHarness.StartAsync(store: store);
        h.Model.Reply("Done.");
        var commits = new List<string>();
        hooks.After = name =>
        {
            if (name is nameof(IEventLog.AppendAsync) or nameof(IEventLog.CreateSessionAsync))
            {
                lock (commits)
                {
                    commits.Add(name);
                }
            }
        };

        var created = await h.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition { AgentId = h.Agent.Id, EnvironmentId = h.Session.EnvironmentId, InitialEvents = [SessionHarness.Message("hello")] },
            CancellationToken.None);
        Assert.True(created.IsSuccess);
        var log = await h.FollowAsync(created.Value.Id, 0, events => events[^1].Event is SessionStatusIdleEvent { StopReason.Type: "end_turn" });

        // The session with its user.message; running; the model request's start; and its end with the reply and the idle.
        Assert.Equal(
            ["user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"],
            log.Select(e => e.Event.Type));
        Assert.Equal([nameof(IEventLog.CreateSessionAsync), nameof(IEventLog.AppendAsync), nameof(IEventLog.AppendAsync), nameof(IEventLog.AppendAsync)], commits);
    }
}
