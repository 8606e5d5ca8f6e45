using Lucid.Dreams;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Storage;
using Lucid.Testing.Storage;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

/// <summary>Sessions that name their task: mining counts tasks, and a lesson seen in one task stays with that task.</summary>
public sealed class TaskSpanTests
{
    // Six sessions over two tasks meet the same tool error; only task "refund" also fails one rubric criterion.
    private static (List<SeededLog> Logs, List<string> Errors, List<string> RefundVerdicts) TwoTasks()
    {
        var logs = new List<SeededLog>();
        var errors = new List<string>();
        var verdicts = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var task = i < 3 ? "refund" : "rebook";
            var log = new SeededLog($"sesn_{i}") { TaskId = task };
            log.User($"Handle ticket {i}.");
            var use = log.ToolUse("lookup", $$"""{"ticket":"t{{i}}"}""");
            errors.Add(log.ToolResult(use, $"Error: ticket t{i} is locked", isError: true));
            if (task == "refund")
            {
                verdicts.Add(log.Evaluation(0, OutcomeResult.Failed, "no refund", new OutcomeFinding("refunds to the original card", "refunded to a voucher", false, "")));
            }
            else
            {
                log.Evaluation(0, OutcomeResult.Satisfied, "ok");
            }

            logs.Add(log);
        }

        return (logs, errors, verdicts);
    }

    private static MiningReport Mine(IEnumerable<SeededLog> logs)
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
    public void Mining_counts_the_distinct_tasks_behind_every_pattern()
    {
        var report = Mine(TwoTasks().Logs);

        Assert.Equal((2, 6), (report.Tasks, report.SessionsWithTask));
        var error = Assert.Single(report.RecurringErrors);
        Assert.Equal((6, 2), (error.Sessions, error.Tasks));
        var reason = Assert.Single(report.FailureReasons);
        Assert.Equal((3, 1), (reason.Sessions, reason.Tasks));
    }

    [Fact]
    public void Sessions_that_name_no_task_count_no_tasks()
    {
        var logs = TwoTasks().Logs.Select(l =>
        {
            var copy = new SeededLog(l.SessionId);
            copy.Events.AddRange(l.Events);
            return copy;
        });

        var report = Mine(logs);

        Assert.Equal((0, 0), (report.Tasks, report.SessionsWithTask));
        Assert.Equal(0, Assert.Single(report.RecurringErrors).Tasks);
    }

    [Fact]
    public async Task A_lesson_seen_in_one_task_is_written_under_that_task_and_one_seen_across_tasks_is_not()
    {
        using var h = new DreamHarness();
        var (logs, errors, refundVerdicts) = TwoTasks();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/people/ana.md", "Ana owns refunds."));
        h.Dreamer.Reply(Lessons(
            new { title = "Wait for a locked ticket", when = "lookup says the ticket is locked", @do = "Retry once after the lock clears.", evidence = errors.ToArray() },
            new { title = "Refund to the original card", when = "refunding", @do = "Refund to the card the ticket was paid with.", evidence = refundVerdicts.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/locked-tickets.md", "Wait for a locked ticket", "lookup says the ticket is locked", "Retry once after the lock clears.", errors, "all six sessions met it"),
            Op("add", "/lessons/refund-card.md", "Refund to the original card", "refunding", "Refund to the card the ticket was paid with.", refundVerdicts, "three refunds failed on it")));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Equal(
            ["/dreams/" + dream.Id + ".md", "/lessons/locked-tickets.md", "/people/ana.md", "/tasks/refund/lessons/refund-card.md"],
            output.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("**Tasks:** its evidence spans 2 tasks: `rebook`, `refund`.", output["/lessons/locked-tickets.md"].Content, StringComparison.Ordinal);
        Assert.Contains("**Task-specific:** all its evidence comes from task `refund`", output["/tasks/refund/lessons/refund-card.md"].Content, StringComparison.Ordinal);

        var report = output["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("6 of them named their task: 2 distinct tasks.", report, StringComparison.Ordinal);
        Assert.Contains("in 6 sessions of 2 tasks", report, StringComparison.Ordinal);
        Assert.Contains("- Refund to the original card — task-specific: all its evidence is from task `refund`", report, StringComparison.Ordinal);
        Assert.Contains("- Wait for a locked ticket — evidence spans 2 tasks", report, StringComparison.Ordinal);
        Assert.Contains("### Added `/tasks/refund/lessons/refund-card.md`", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_lists_general_lessons_and_its_own_tasks_but_not_other_tasks()
    {
        var store = new InMemoryStore();
        var memory = new MemoryService(store);
        var created = await memory.CreateStoreAsync(Workspaces.Default, "Lessons", "", null, CancellationToken.None);
        var id = created.Value!.Id;
        foreach (var path in new[] { "/lessons/general.md", "/tasks/refund/lessons/card.md", "/tasks/rebook/lessons/seats.md" })
        {
            Assert.True((await memory.CreateMemoryAsync(Workspaces.Default, id, path, "text\n", MemoryActor.User("user_ana"), CancellationToken.None)).IsSuccess);
        }

        var mount = new MemoryStoreResource { MemoryStoreId = id, Name = "Lessons", MountPath = "/mnt/memory/lessons" };

        async Task<string> Listing(string? task) =>
            await new MemoryMounts(memory, Workspaces.Default, MemoryActor.Session("sesn_x"), [mount], task).DescribeAsync(CancellationToken.None);

        var refund = await Listing("refund");
        Assert.Contains("/mnt/memory/lessons/lessons/general.md", refund, StringComparison.Ordinal);
        Assert.Contains("/mnt/memory/lessons/tasks/refund/lessons/card.md", refund, StringComparison.Ordinal);
        Assert.DoesNotContain("seats.md", refund, StringComparison.Ordinal);

        var none = await Listing(null);
        Assert.Contains("/mnt/memory/lessons/lessons/general.md", none, StringComparison.Ordinal);
        Assert.DoesNotContain("/tasks/", none, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12", "/tasks/12/")]
    [InlineData("airline-task_3.v2", "/tasks/airline-task_3.v2/")]
    [InlineData("a/b c", "/tasks/a-b-c-")]
    [InlineData("..", "/tasks/..-")]
    public void A_task_folder_is_one_valid_path_segment(string taskId, string expectedStart)
    {
        var folder = TaskLessons.FolderOf(taskId);

        Assert.StartsWith(expectedStart, folder, StringComparison.Ordinal);
        Assert.Null(MemoryPaths.Validate(folder + "lesson.md"));
        Assert.Equal(4, folder.Split('/').Length);
        Assert.NotEqual(TaskLessons.FolderOf("a/b c"), TaskLessons.FolderOf("a-b c"));
    }
}
