using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Models;
using Lucid.Testing.Providers;
using Microsoft.Extensions.AI;

namespace Lucid.Cli.Tests;

public sealed partial class EvalCommandTests : IAsyncLifetime, IDisposable
{
    private const int Tasks = 6;

    private readonly FakeOpenAIServer _openai = new();
    private readonly CliHarness _cli = new();
    private readonly LessonChatClient _model = new();

    public async Task InitializeAsync()
    {
        // Every request goes to the lesson model, translated from and to the Chat Completions format.
        _openai.Fallback = AnswerAsync;
        await _openai.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = "sk-local";
        _cli.Environment["OPENAI_BASE_URL"] = _openai.ApiBaseUrl;
    }

    public async Task DisposeAsync() => await _openai.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    private async Task AnswerAsync(RecordedRequest request, Microsoft.AspNetCore.Http.HttpResponse response)
    {
        var body = request.Json!.AsObject();
        var messages = body["messages"]!.AsArray().Select(m => m!.AsObject()).Select(m => (string)m["role"]! switch
        {
            "tool" => new ChatMessage(ChatRole.Tool, [new FunctionResultContent((string)m["tool_call_id"]!, Text(m["content"]))]),
            var role => new ChatMessage(new ChatRole(role), Text(m["content"])),
        }).ToList();
        var options = body["response_format"] is null ? null : new ChatOptions { ResponseFormat = ChatResponseFormat.Json };
        var answer = await _model.GetResponseAsync(messages, options);
        var (input, output) = ((int)answer.Usage!.InputTokenCount!, (int)answer.Usage.OutputTokenCount!);
        var reply = answer.Messages[0];
        await (reply.Contents.OfType<FunctionCallContent>().FirstOrDefault() is { } call
            ? FakeOpenAIServer.WriteToolCallAsync(request, response, call.CallId, call.Name, call.Arguments!, input, output)
            : FakeOpenAIServer.WriteTextAsync(request, response, reply.Text, input, output));
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? "")),
        null => "",
        _ => (string)content!,
    };

    private async Task<string> LessonStoreAsync()
    {
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        var memory = new MemoryService(store);
        var id = (await memory.CreateStoreAsync(Workspaces.Default, "Lessons", null, null, CancellationToken.None)).Value!.Id;
        for (var i = 0; i < Tasks; i++)
        {
            await memory.CreateMemoryAsync(Workspaces.Default, id, $"/lessons/t{i}.md", LessonChatClient.Lesson($"t{i}", $"CODE-{i}"), MemoryActor.User("me"), CancellationToken.None);
        }

        return id;
    }

    private string SuiteFile(string storeId, string tasks)
    {
        var path = Path.Combine(_cli.Home, "suite.yaml");
        File.WriteAllText(path, $"""
            name: lessons
            agent:
              name: worker
              model: openai/test
            trials: 2
            concurrency: 3
            arms:
              - name: none
              - name: memory
                memory_store: {storeId}
            tasks:
            {tasks}
            """);
        return path;
    }

    private static string Tasks6 => string.Join("\n", Enumerable.Range(0, Tasks).Select(i => $"""
          - id: t{i}
            prompt: "{LessonChatClient.Prompt($"t{i}")}"
            rubric: {LessonChatClient.Rubric($"CODE-{i}")}
        """));

    [Fact]
    public async Task Eval_runs_a_yaml_suite_and_prints_the_report_a_chart_and_json_that_match_its_sessions()
    {
        var storeId = await LessonStoreAsync();
        var suite = SuiteFile(storeId, Tasks6);
        var chart = Path.Combine(_cli.Home, "chart.png");

        var (code, output) = await _cli.RunAsync("eval", suite, "--chart", chart);

        Assert.True(code == 0, output);
        Assert.Matches(@"│ none\s+│ none\s+│ 0/12 ", output);
        Assert.Matches(@"│ memory\s+│ memstore_\w+\s+│ 12/12 ", output);
        Assert.Contains("memory against none: +1.00 pass rate per task, 6 better, 0 worse, 0 unchanged; sign test p = 0.0313", output, StringComparison.Ordinal);
        Assert.Contains("better: t0 (0%→100%), t1 (0%→100%)", output, StringComparison.Ordinal);
        Assert.Matches(@"│ memory .*│ \+[1-9][0-9,]* +│", output);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(chart)[..4]);
        var runId = RunId().Match(output).Value;

        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            var sessions = (await store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(100), CancellationToken.None)).Items
                .Where(s => s.Metadata.GetValueOrDefault("eval_run_id") == runId).ToList();
            Assert.Equal(24, sessions.Count);
            Assert.Equal(12, sessions.Count(s => s.Metadata["eval_arm"] == "memory" && s.OutcomeEvaluations[0].Result == Outcomes.OutcomeResult.Satisfied));
            Assert.Equal(0, sessions.Count(s => s.Metadata["eval_arm"] == "none" && s.OutcomeEvaluations[0].Result == Outcomes.OutcomeResult.Satisfied));
            Assert.All(Enumerable.Range(0, Tasks), i => Assert.Equal(4, sessions.Count(s => s.Metadata["task_id"] == $"t{i}")));
            var stored = await store.GetEvalRunAsync(runId, CancellationToken.None);
            Assert.Equal(Evals.EvalRunStatus.Completed, stored!.Status);
        }

        var (jsonCode, json) = await _cli.RunAsync("eval", suite, "--json");
        Assert.True(jsonCode == 0, json);
        var report = JsonDocument.Parse(json[json.IndexOf("{\"arms\"", StringComparison.Ordinal)..]).RootElement;
        Assert.Equal(12, report.GetProperty("arms")[1].GetProperty("passed").GetInt32());
        Assert.Equal(0.03125, report.GetProperty("comparisons")[0].GetProperty("p_value").GetDouble(), 12);
        Assert.Equal(6, report.GetProperty("comparisons")[0].GetProperty("improved").GetArrayLength());
    }

    [Fact]
    public async Task A_suite_with_a_bad_field_is_refused_naming_it_and_runs_nothing()
    {
        var storeId = await LessonStoreAsync();
        var suite = SuiteFile(storeId, """
              - id: t0
                prompt: "Task t0: what is the code word?"
            """);

        var (code, output) = await _cli.RunAsync("eval", suite);

        Assert.Equal(2, code);
        Assert.Contains("tasks[0].rubric: tasks[0].rubric is required.", output, StringComparison.Ordinal);
        Assert.Empty(_openai.Requests);
    }

    [Fact]
    public async Task A_task_split_runs_only_the_tasks_it_keeps_and_a_split_that_keeps_none_runs_nothing()
    {
        var storeId = await LessonStoreAsync();
        var suite = SuiteFile(storeId, Tasks6);

        var (code, output) = await _cli.RunAsync("eval", suite, "--exclude-tasks", "t0", "t1", "t2", "t3", "t4", "t5");
        Assert.Equal(2, code);
        Assert.Contains("leave no task of the suite", output, StringComparison.Ordinal);
        Assert.Empty(_openai.Requests);

        (code, output) = await _cli.RunAsync("eval", suite, "--tasks", "t1", "t4", "t5", "--exclude-tasks", "t5", "--json");
        Assert.True(code == 0, output);
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        var sessions = (await store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(100), CancellationToken.None)).Items
            .Where(s => s.Metadata.ContainsKey("eval_run_id")).ToList();
        Assert.Equal(8, sessions.Count);
        Assert.Equal(["t1", "t4"], sessions.Select(s => s.Metadata["task_id"]).Distinct().Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"evalrun_\w+")]
    private static partial Regex RunId();
}
