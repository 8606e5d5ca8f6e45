using Lucid.Dreams;
using Lucid.Outcomes;

namespace Lucid.Core.Tests.Dreams;

public sealed class WorkflowMiningTests
{
    // A session that looks the user up, reads a lesson, searches twice, fails to book once and then books.
    private static SeededLog Booking(string id, string? task, OutcomeResult? result)
    {
        var log = new SeededLog(id) { TaskId = task };
        log.User("Book a trip.");
        log.Call("get_user", """{"user":"u1"}""", "{...}");
        log.Call("read", """{"file_path":"/mnt/memory/airline/lessons/payments.md"}""", "Split payments.");
        log.Call("search", """{"from":"SFO"}""", "[...]");
        log.Call("search", """{"from":"SFO","to":"JFK"}""", "[...]");
        log.Call("book", """{"flight":"F1"}""", "Error: seat taken", isError: true);
        log.Call("book", """{"flight":"F2"}""", "booked");
        if (result is { } r)
        {
            log.Evaluation(0, r, "graded");
        }

        return log;
    }

    private static MiningReport Mine(params SeededLog[] logs)
    {
        var miner = new PatternMiner();
        foreach (var log in logs)
        {
            var digester = new SessionDigester(log.Session());
            log.Events.ForEach(digester.Add);
            miner.Add(digester.Build());
        }

        return miner.Build();
    }

    [Fact]
    public void A_session_workflow_keeps_successful_calls_in_order_with_repeats_merged_and_memory_left_out()
    {
        var log = Booking("sesn_a", null, OutcomeResult.Satisfied);
        var digester = new SessionDigester(log.Session());
        log.Events.ForEach(digester.Add);

        var workflow = digester.Build().Workflow;

        Assert.Equal(["get_user", "search", "book"], workflow.Select(s => s.Tool));
        Assert.Equal(["sevt_sesn_a_002", "sevt_sesn_a_006", "sevt_sesn_a_012"], workflow.Select(s => s.ToolUseEventId));
    }

    [Fact]
    public void The_same_tool_sequence_in_3_passing_sessions_is_a_workflow_with_its_session_and_task_counts()
    {
        var report = Mine(
            Booking("sesn_a", "trip-1", OutcomeResult.Satisfied),
            Booking("sesn_b", "trip-1", OutcomeResult.Satisfied),
            Booking("sesn_c", "trip-2", OutcomeResult.Satisfied),
            Booking("sesn_d", "trip-3", OutcomeResult.Failed));

        var workflow = Assert.Single(report.Workflows);
        Assert.Equal(["get_user", "search", "book"], workflow.Steps);
        Assert.Equal("get_user → search → book", workflow.Sequence);
        Assert.Equal((3, 2), (workflow.Sessions, workflow.Tasks));
        Assert.Equal(["sesn_a", "sesn_b", "sesn_c"], workflow.SessionIds);
        Assert.Contains("sevt_sesn_c_006", workflow.EventIds);
    }

    [Fact]
    public void Failed_and_ungraded_sessions_teach_no_workflow()
    {
        var report = Mine(
            Booking("sesn_a", null, OutcomeResult.Satisfied),
            Booking("sesn_b", null, OutcomeResult.Satisfied),
            Booking("sesn_c", null, OutcomeResult.Failed),
            Booking("sesn_d", null, OutcomeResult.MaxIterationsReached),
            Booking("sesn_e", null, null));

        Assert.Empty(report.Workflows);
    }

    [Fact]
    public void Fewer_than_3_passing_sessions_make_no_workflow()
    {
        Assert.Empty(Mine(Booking("sesn_a", null, OutcomeResult.Satisfied), Booking("sesn_b", null, OutcomeResult.Satisfied)).Workflows);
    }

    [Fact]
    public void A_single_step_is_not_a_workflow()
    {
        var logs = Enumerable.Range(0, 4).Select(i =>
        {
            var log = new SeededLog($"sesn_{i}");
            log.User("Book a trip.");
            log.Call("book", """{"flight":"F1"}""", "booked");
            log.Call("book", """{"flight":"F2"}""", "booked");
            log.Evaluation(0, OutcomeResult.Satisfied, "ok");
            return log;
        }).ToArray();

        Assert.Empty(Mine(logs).Workflows);
    }
}
