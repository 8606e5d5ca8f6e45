using Lucid.Dreams;
using Lucid.Outcomes;

namespace Lucid.Core.Tests.Dreams;

public sealed class PatternMinerTests
{
    // Eight sessions repeat one mistake: booking with payments that do not add up. Five fix it by changing the payment
    // methods, two by changing the passenger count, one never fixes it. Sessions 0-4 pass, 5-7 fail.
    private static List<SeededLog> RepeatedMistake()
    {
        var logs = new List<SeededLog>();
        for (var i = 0; i < 8; i++)
        {
            var log = new SeededLog($"sesn_{i}");
            log.User($"Book trip {i}.");
            log.Call("get_user", $$"""{"user":"u{{i}}"}""", "{...}");
            log.Call("book", $$"""{"user":"u{{i}}","passengers":1,"payment_methods":["certificate_{{i}}"]}""", $"Error: payment amount does not add up, total price is {300 + i}, but paid {200 + i}");
            if (i < 5)
            {
                log.Call("book", $$"""{"user":"u{{i}}","passengers":1,"payment_methods":["certificate_{{i}}","card_{{i}}"]}""", "booked");
            }
            else if (i < 7)
            {
                log.Call("book", $$"""{"user":"u{{i}}","passengers":2,"payment_methods":["certificate_{{i}}"]}""", "booked");
            }

            logs.Add(log);
        }

        for (var i = 0; i < 8; i++)
        {
            logs[i].Evaluation(0, i < 5 ? OutcomeResult.Satisfied : OutcomeResult.Failed, i < 5 ? "ok" : "wrong booking",
                i < 5 ? [] : [new OutcomeFinding("books what the user asked", "wrong passengers", false, "")]);
        }

        return logs;
    }

    private static MiningReport Mine(IEnumerable<SeededLog> logs, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var miner = new PatternMiner();
        foreach (var log in logs)
        {
            var digester = new SessionDigester(log.Session(metadata));
            log.Events.ForEach(digester.Add);
            miner.Add(digester.Build());
        }

        return miner.Build();
    }

    [Fact]
    public void Same_tool_error_fixed_the_same_way_in_5_of_8_sessions_is_reported_with_its_counts()
    {
        var report = Mine(RepeatedMistake(), new Dictionary<string, string> { [SessionDigester.ImportSourceKey] = "test" });

        var pattern = Assert.Single(report.RecurringErrors);
        Assert.Equal("book", pattern.Tool);
        Assert.Equal("Error: payment amount does not add up, total price is <n>, but paid <n>", pattern.Signature);
        Assert.Equal((8, 8, 7, 5), (pattern.Occurrences, pattern.Sessions, pattern.FixedSessions, pattern.PassingSessions));
        Assert.Equal(["sesn_0", "sesn_1", "sesn_2", "sesn_3", "sesn_4", "sesn_5", "sesn_6", "sesn_7"], pattern.SessionIds);
        Assert.Equal(8, pattern.EventIds.Count);
        Assert.Equal(2, pattern.Fixes.Count);
        Assert.Equal(("~payment_methods", 5), (pattern.Fixes[0].Change, pattern.Fixes[0].Sessions));
        Assert.Equal(["sesn_0", "sesn_1", "sesn_2", "sesn_3", "sesn_4"], pattern.Fixes[0].SessionIds);
        Assert.Equal(("~passengers", 2), (pattern.Fixes[1].Change, pattern.Fixes[1].Sessions));
    }

    [Fact]
    public void Tool_failure_rates_are_split_between_passing_and_failing_sessions()
    {
        var report = Mine(RepeatedMistake(), new Dictionary<string, string> { [SessionDigester.ImportSourceKey] = "test" });

        Assert.Equal((5, 3, 0), (report.PassingSessions, report.FailingSessions, report.UngradedSessions));
        var book = report.Tools[0];
        Assert.Equal("book", book.Tool);
        Assert.Equal((15, 8), (book.Calls, book.Errors));
        Assert.Equal((10, 5, 5, 3), (book.PassingCalls, book.PassingErrors, book.FailingCalls, book.FailingErrors));
        Assert.Equal(0.5, book.PassingFailureRate);
        Assert.Equal(0.6, book.FailingFailureRate);
        Assert.Equal((15, 5, 8, 3), (report.FailureRates.PassingCalls, report.FailureRates.PassingErrors, report.FailureRates.FailingCalls, report.FailureRates.FailingErrors));
        Assert.Equal(("get_user", 8, 0), (report.Tools[1].Tool, report.Tools[1].Calls, report.Tools[1].Errors));
    }

    [Fact]
    public void Outcomes_failing_twice_on_the_same_rubric_criterion_are_one_reason_counted_twice()
    {
        var first = new SeededLog("sesn_x");
        first.User("Write the report.");
        var revision = first.Evaluation(0, OutcomeResult.NeedsRevision, "Sources missing.", new OutcomeFinding("cites its sources", "no links", false, "add links"), new OutcomeFinding("under 500 words", "", true, ""));
        first.Evaluation(1, OutcomeResult.Satisfied, "ok");
        var second = new SeededLog("sesn_y");
        second.User("Write the summary.");
        var failure = second.Evaluation(0, OutcomeResult.Failed, "Sources missing again.", new OutcomeFinding("cites its sources", "no links", false, ""), new OutcomeFinding("names the author", "", false, ""));

        var report = Mine([first, second]);

        var reason = report.FailureReasons[0];
        Assert.Equal(("cites its sources", 2, 2), (reason.Criterion, reason.Occurrences, reason.Sessions));
        Assert.Equal([revision, failure], reason.EventIds);
        Assert.Equal(["sesn_x", "sesn_y"], reason.SessionIds);
        Assert.Equal(("names the author", 1), (report.FailureReasons[1].Criterion, report.FailureReasons[1].Occurrences));
        Assert.DoesNotContain(report.FailureReasons, r => r.Criterion == "under 500 words");
    }

    [Fact]
    public void Memories_read_in_passing_and_failing_sessions_are_counted_apart()
    {
        var logs = RepeatedMistake();
        logs[0].Call("read", """{"file_path":"/mnt/memory/airline/payments.md"}""", "recalled");
        logs[1].Call("read", """{"file_path":"/mnt/memory/airline/payments.md"}""", "recalled");
        logs[6].Call("read", """{"file_path":"/mnt/memory/airline/payments.md"}""", "recalled");
        logs[6].Call("write", """{"file_path":"/mnt/memory/airline/new.md","content":"x"}""", "written");

        var report = Mine(logs);

        var payments = report.Memories[0];
        Assert.Equal(("/mnt/memory/airline/payments.md", 2, 1, 0), (payments.Path, payments.ReadInPassing, payments.ReadInFailing, payments.WrittenIn));
        Assert.Equal(1, Assert.Single(report.Memories, m => m.Path == "/mnt/memory/airline/new.md").WrittenIn);
    }
}
