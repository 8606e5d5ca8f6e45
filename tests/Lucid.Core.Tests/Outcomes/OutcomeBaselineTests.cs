using System.Text.Json;
using System.Text.RegularExpressions;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;

namespace Lucid.Core.Tests.Outcomes;

/// <summary>The grader is told what changed since the outcome began, whichever runner grades it.</summary>
public sealed partial class OutcomeBaselineTests
{
    private static readonly JsonElement NoInput = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    private static UserDefineOutcomeEvent Outcome() => new()
    {
        Description = "Tidy the notes.",
        Rubric = OutcomeRubric.Text("- The notes are tidy."),
        GraderModel = SessionHarness.GraderModelName,
    };

    private const string Satisfied = """{"findings":[],"explanation":"ok","verdict":"satisfied"}""";

    [GeneratedRegex(@"^## (?<path>.+) \((?<change>added|modified|deleted)\)$", RegexOptions.Multiline)]
    private static partial Regex ChangedFileLine();

    // The "path (change)" lines of the grader's request, in order.
    private static List<string> ChangedFiles(ScriptedRequest grading) =>
        [.. ChangedFileLine().Matches(grading.AllText).Select(m => $"{m.Groups["path"].Value} ({m.Groups["change"].Value})")];

    private static void Write(string root, string path, string content)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full) ?? root);
        File.WriteAllText(full, content);
    }

    [Fact]
    public async Task A_runner_rebuilt_from_the_log_grades_against_the_baseline_recorded_when_the_outcome_began()
    {
        // A custom tool makes the session wait for the client mid-outcome, long enough for its runner to retire.
        var tools = new AgentTool[] { new AgentToolset(), new CustomToolDefinition { Name = "publish", Description = "Publishes the notes.", InputSchema = NoInput } };
        await using var h = await SessionHarness.StartAsync(tools, options: new SessionEngineOptions { RunnerIdleTimeout = TimeSpan.FromMilliseconds(20) });
        Write(h.WorkDirectory, "keep.txt", "untouched");
        Write(h.WorkDirectory, "notes/edit-me.txt", "messy");
        Write(h.WorkDirectory, "remove-me.txt", "obsolete");
        h.Model
            .CallTool("write", new { file_path = "notes/edit-me.txt", content = "tidy" })
            .CallTool("publish", new { })
            .Reply("The notes are tidy and published.");
        h.Grader.Reply(Satisfied);

        var sent = await h.SendAsync(Outcome());
        var waiting = await h.WaitForIdleAsync(sent[0].Sequence - 1);
        var retired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Engine.Runners.RunnerRetired += _ => retired.TrySetResult();
        if (h.Engine.Runners.Count > 0)
        {
            await retired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // While no runner holds the session, the client changes the directory too: a new file, a deleted one.
        Write(h.WorkDirectory, "new.txt", "added by the client");
        File.Delete(Path.Combine(h.WorkDirectory, "remove-me.txt"));
        var publish = (AgentCustomToolUseEvent)waiting.Single(e => e.Event is AgentCustomToolUseEvent).Event;
        var answered = await h.SendAsync(new UserCustomToolResultEvent { CustomToolUseId = publish.Id, Content = [new TextBlock("published")] });
        var graded = await h.WaitForIdleAsync(answered[^1].Sequence);

        Assert.Equal([publish.Id], ((SessionStatusIdleEvent)waiting[^1].Event).StopReason.EventIds);
        Assert.Equal(OutcomeResult.Satisfied, graded.Select(e => e.Event).OfType<SpanOutcomeEvaluationEndEvent>().Single().Result);
        Assert.Equal(
            ["new.txt (added)", "notes/edit-me.txt (modified)", "remove-me.txt (deleted)"],
            ChangedFiles(Assert.Single(h.Grader.Requests)));
        var baseline = (await h.LogAsync()).Select(e => e.Event).OfType<OutcomeBaselineEvent>().Single();
        Assert.Equal(((UserDefineOutcomeEvent)sent[0].Event).OutcomeId, baseline.OutcomeId);
        Assert.Equal(["keep.txt", "notes/edit-me.txt", "remove-me.txt"], baseline.Files.Select(f => f.Path));
        Assert.Equal((5L, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("messy"u8))), (baseline.Files[1].Size, baseline.Files[1].Sha256));
    }
}
