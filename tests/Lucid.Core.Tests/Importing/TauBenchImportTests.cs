using System.Text.Json;
using Lucid.Dreams;
using Lucid.Events;
using Lucid.Importing;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Data;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Importing;

public sealed class TauBenchImportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-import-").FullName;
    private readonly InMemoryStore _store = new();

    private TranscriptImporter Importer => new(_store, new EventHub(_store), new ImportOptions { WorkDirectoriesRoot = _root });

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<ImportReport> ImportAsync(byte[] source, string format = ImportFormats.TauBench)
    {
        var report = await Importer.ImportAsync(Workspaces.Default, format, "airline.json", new MemoryStream(source), CancellationToken.None);
        Assert.True(report.IsSuccess);
        return report.Value;
    }

    private async Task<List<LoggedEvent>> EventsAsync(string sessionId) => [.. await _store.ReadAsync(sessionId, 0, 10_000, CancellationToken.None)];

    [Fact]
    public async Task Importing_trials_0_and_1_creates_100_sessions_matching_the_source_with_43_satisfied()
    {
        var source = TauBenchData.Trials(0, 1);
        using var document = JsonDocument.Parse(source);
        var records = document.RootElement.EnumerateArray().ToList();

        var report = await ImportAsync(source);

        Assert.Equal(100, records.Count);
        Assert.Equal((100, 100), (report.Records, report.Imported.Count));
        Assert.Empty(report.Skipped);
        Assert.Empty(report.Malformed);
        var satisfied = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var imported = report.Imported[i];
            Assert.Equal($"record {i + 1}", imported.Position);
            var session = await _store.GetSessionAsync(imported.SessionId, CancellationToken.None);
            Assert.NotNull(session);
            var events = await EventsAsync(session.Id);

            // Expected from the source: outcome, instruction, one event per user/tool message, per assistant text, per tool call, and the evaluation.
            var messages = record.GetProperty("traj").EnumerateArray().ToList();
            var expected = 2 + 2 + messages.Sum(m => m.GetProperty("role").GetString() switch
            {
                "system" => 0,
                "assistant" => (Text(m).Length > 0 ? 1 : 0) + ToolCalls(m).Count,
                _ => 1,
            });
            Assert.Equal(expected, events.Count);
            Assert.Equal(expected, imported.Events);
            Assert.Equal(expected, session.LastSequence);

            // Tool calls and results match the source one for one, in order.
            var sourceCalls = messages.SelectMany(ToolCalls).Select(c => (c.GetProperty("function").GetProperty("name").GetString(), JsonElement.Parse(c.GetProperty("function").GetProperty("arguments").GetString()!))).ToList();
            var uses = events.Select(e => e.Event).OfType<AgentToolUseEvent>().ToList();
            Assert.Equal(sourceCalls.Select(c => c.Item1), uses.Select(u => u.Name));
            Assert.All(sourceCalls.Zip(uses), p => Assert.True(JsonElement.DeepEquals(p.First.Item2, p.Second.Input)));
            var sourceResults = messages.Where(m => m.GetProperty("role").GetString() == "tool").Select(Text).ToList();
            var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
            Assert.Equal(sourceResults, results.Select(r => ((TextBlock)r.Content[0]).Text));
            Assert.Equal(sourceResults.Select(t => t.StartsWith("Error", StringComparison.Ordinal)), results.Select(r => r.IsError));
            Assert.All(results, r => Assert.Contains(uses, u => u.Id == r.ToolUseId));

            // The task instruction is the first user message; the reward is the outcome.
            var instruction = record.GetProperty("info").GetProperty("task").GetProperty("instruction").GetString();
            Assert.Equal(instruction, ((TextBlock)events.Select(e => e.Event).OfType<UserMessageEvent>().First().Content[0]).Text);
            var reward = record.GetProperty("reward").GetDouble();
            var outcome = Assert.Single(session.OutcomeEvaluations);
            Assert.Equal(reward == 1 ? OutcomeResult.Satisfied : OutcomeResult.Failed, outcome.Result);
            Assert.Equal(SessionStatus.Idle, session.Status);
            satisfied += outcome.Result == OutcomeResult.Satisfied ? 1 : 0;
            Assert.Equal(record.GetProperty("task_id").ToString(), session.Metadata["tau_bench.task_id"]);
            Assert.Equal(record.GetProperty("task_id").ToString(), session.Metadata["task_id"]);
        }

        Assert.Equal(43, satisfied);
        var agents = await _store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), new PageRequest(100), CancellationToken.None);
        var agent = Assert.Single(agents.Items);
        Assert.StartsWith("# Airline Agent Policy", agent.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_importing_the_same_file_creates_nothing_and_says_why()
    {
        var source = TauBenchData.Trials(0);
        var first = await ImportAsync(source);

        var second = await ImportAsync(source);

        Assert.Empty(second.Imported);
        Assert.Equal(first.Imported.Select(i => i.SessionId), second.Skipped.Select(s => s.SessionId));
        Assert.All(second.Skipped, s => Assert.StartsWith("already imported as sesn_", s.Reason, StringComparison.Ordinal));
        var sessions = await _store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(100), CancellationToken.None);
        Assert.Equal(50, sessions.Items.Count);
        Assert.Single((await _store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), new PageRequest(100), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Malformed_records_are_named_by_position_and_the_good_ones_imported()
    {
        using var document = JsonDocument.Parse(TauBenchData.Trials(0));
        var good = document.RootElement.EnumerateArray().Take(3).Select(r => r.GetRawText()).ToList();
        var jsonl = string.Join('\n',
            good[0],
            "{\"task_id\": 99, \"reward\": 1.0, \"traj\": [",
            """{"task_id": 98, "trial": 0, "reward": 1.0, "info": {}, "traj": [{"role": "tool", "tool_call_id": "call_x", "content": "ok"}]}""",
            good[1],
            """{"task_id": 97, "trial": 0, "info": {}, "traj": []}""",
            good[2]);

        var report = await ImportAsync(System.Text.Encoding.UTF8.GetBytes(jsonl));

        Assert.Equal(["line 1", "line 4", "line 6"], report.Imported.Select(i => i.Position));
        Assert.Equal(["line 2", "line 3", "line 5"], report.Malformed.Select(m => m.Position));
        Assert.StartsWith("not valid JSON", report.Malformed[0].Reason, StringComparison.Ordinal);
        Assert.Contains("tool_call_id 'call_x'", report.Malformed[1].Reason, StringComparison.Ordinal);
        Assert.Contains("\"reward\"", report.Malformed[2].Reason, StringComparison.Ordinal);

        var again = await ImportAsync(System.Text.Encoding.UTF8.GetBytes(jsonl));
        Assert.Empty(again.Imported);
        Assert.Equal(3, again.Skipped.Count);
        Assert.Equal(3, again.Malformed.Count);
    }

    [Fact]
    public async Task Mining_imported_sessions_counts_tool_failures_as_the_file_does()
    {
        var source = TauBenchData.Trials(0, 1);
        var report = await ImportAsync(source);

        var mined = await new SessionMining(_store).MineAsync(Workspaces.Default, [.. report.Imported.Select(i => i.SessionId)], CancellationToken.None);

        Assert.True(mined.IsSuccess);
        var expected = Direct(source);
        Assert.Equal((43, 57), (mined.Value.PassingSessions, mined.Value.FailingSessions));
        foreach (var tool in mined.Value.Tools)
        {
            Assert.Equal(expected[tool.Tool], (tool.Calls, tool.Errors, tool.PassingCalls, tool.PassingErrors, tool.FailingCalls, tool.FailingErrors));
        }

        Assert.Equal(expected.Keys.Order(), mined.Value.Tools.Select(t => t.Tool).Order());
        Assert.Equal(expected.Values.Sum(v => v.Errors), mined.Value.Tools.Sum(t => t.Errors));
        Assert.Equal(expected.Values.Sum(v => v.PassingErrors), mined.Value.FailureRates.PassingErrors);
        Assert.Equal(expected.Values.Sum(v => v.FailingCalls), mined.Value.FailureRates.FailingCalls);
        Assert.Equal("update_reservation_flights", mined.Value.Tools[0].Tool);
        Assert.Contains(mined.Value.FailureReasons, r => r.Criterion == "r_actions" && r.Occurrences > 0);
    }

    // Per tool, straight from the file: calls, errors (results starting with "Error"), and both in passing and failing trajectories.
    private static Dictionary<string, (int Calls, int Errors, int PassingCalls, int PassingErrors, int FailingCalls, int FailingErrors)> Direct(byte[] source)
    {
        using var document = JsonDocument.Parse(source);
        var stats = new Dictionary<string, (int, int, int, int, int, int)>();
        foreach (var record in document.RootElement.EnumerateArray())
        {
            var passed = record.GetProperty("reward").GetDouble() == 1;
            foreach (var message in record.GetProperty("traj").EnumerateArray())
            {
                if (message.GetProperty("role").GetString() != "tool")
                {
                    continue;
                }

                var tool = message.GetProperty("name").GetString()!;
                var error = Text(message).StartsWith("Error", StringComparison.Ordinal) ? 1 : 0;
                var (c, e, pc, pe, fc, fe) = stats.GetValueOrDefault(tool);
                stats[tool] = passed ? (c + 1, e + error, pc + 1, pe + error, fc, fe) : (c + 1, e + error, pc, pe, fc + 1, fe + error);
            }
        }

        return stats;
    }

    private static string Text(JsonElement message) =>
        message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";

    private static List<JsonElement> ToolCalls(JsonElement message) =>
        message.TryGetProperty("tool_calls", out var t) && t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray()] : [];
}
