using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lucid.Testing.Providers;

namespace Lucid.Reliability.Tests;

/// <summary>
/// An outcome that spans a SIGKILL of the real <c>lucid serve</c>: the grader, run by the next process, is told exactly
/// the files changed since the outcome began, because the baseline was recorded in the log, not in the dead process.
/// </summary>
public sealed partial class OutcomeRestartTests : IAsyncLifetime
{
    private readonly ServedHome _served = new("lucid-outcome-");

    public Task InitializeAsync() => _served.Upstream.StartAsync();

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [GeneratedRegex(@"^## (?<path>.+) \((?<change>added|modified|deleted)\)$", RegexOptions.Multiline)]
    private static partial Regex ChangedFileLine();

    [Fact]
    public async Task The_grader_after_a_restart_is_told_exactly_the_files_changed_since_the_outcome_began()
    {
        // The worker edits a file, then calls a custom tool, which leaves the session waiting for the client; after the
        // restart it finishes, and the grader (the same fake model) is satisfied.
        _served.Upstream
            .ReplyToolCall("write", new { file_path = "notes/edit-me.txt", content = "tidy" })
            .ReplyToolCall("publish", new { })
            .ReplyText("The notes are tidy and published.")
            .ReplyText("""{"findings":[],"explanation":"ok","verdict":"satisfied"}""");
        var server = await _served.StartServerAsync();
        string session;
        string publish;
        long seen;
        try
        {
            using var http = _served.Http();
            var agent = await PostAsync(http, "/v1/agents", """
                {"name":"tidier","model":"openai/test","tools":[{"type":"agent_toolset_20260401"},
                 {"type":"custom","name":"publish","description":"Publishes the notes.","input_schema":{"type":"object","properties":{}}}]}
                """);
            var environment = await PostAsync(http, "/v1/environments", """{"name":"tidy"}""");
            session = await PostAsync(http, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}"}""");
            var work = WorkDirectory(session);
            Write(work, "keep.txt", "untouched");
            Write(work, "notes/edit-me.txt", "messy");
            Write(work, "remove-me.txt", "obsolete");

            await PostAsync(http, $"/v1/sessions/{session}/events", """
                {"events":[{"type":"user.define_outcome","description":"Tidy the notes.","rubric":{"type":"text","content":"- The notes are tidy."}}]}
                """);
            var (waiting, idle) = await FollowUntilIdleAsync(http, session, 0);
            var idleEvent = waiting[^1];
            Assert.Equal("requires_action", idleEvent.GetProperty("stop_reason").GetProperty("type").GetString());
            publish = waiting.Single(e => e.GetProperty("type").GetString() == "agent.custom_tool_use").GetProperty("id").GetString() ?? "";
            seen = idle;
        }
        finally
        {
            await server.KillAsync();
            server.Dispose();
        }

        // While no server runs, the directory changes again: a new file, a deleted one.
        Write(WorkDirectory(session), "new.txt", "added while the server was down");
        File.Delete(Path.Combine(WorkDirectory(session), "remove-me.txt"));
        server = await _served.StartServerAsync();
        try
        {
            using var http = _served.Http();
            await PostAsync(http, $"/v1/sessions/{session}/events", $$"""
                {"events":[{"type":"user.custom_tool_result","custom_tool_use_id":"{{publish}}","content":[{"type":"text","text":"published"}]}]}
                """);
            var (graded, _) = await FollowUntilIdleAsync(http, session, seen);

            var end = graded.Single(e => e.GetProperty("type").GetString() == "span.outcome_evaluation_end");
            Assert.Equal("satisfied", end.GetProperty("result").GetString());
            var grading = _served.Upstream.Requests[^1].Body;
            Assert.Contains("strict, fair grader", grading, StringComparison.Ordinal);
            var prompt = Text(JsonNode.Parse(grading)?["messages"]?.AsArray()[^1]?["content"]);
            Assert.Equal(
                ["new.txt (added)", "notes/edit-me.txt (modified)", "remove-me.txt (deleted)"],
                ChangedFileLine().Matches(prompt).Select(m => $"{m.Groups["path"].Value} ({m.Groups["change"].Value})"));
            Assert.Empty(server.Failures);
        }
        finally
        {
            server.Dispose();
        }
    }

    // A chat message's content as text: a string, or the text of its parts.
    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => "",
    };

    private string WorkDirectory(string session) => Path.Combine(_served.Directory, "workspaces", session);

    private static void Write(string root, string path, string content)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full) ?? root);
        File.WriteAllText(full, content);
    }

    // Follows the session's stream after a sequence until it goes idle; returns the events on the way and the idle's sequence.
    private static async Task<(List<JsonElement> Events, long Idle)> FollowUntilIdleAsync(HttpClient http, string sessionId, long after)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        await using var body = await response.Content.ReadAsStreamAsync(guard.Token);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(guard.Token))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            events.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
            if (item.EventType == "session.status_idle")
            {
                return (events, long.Parse(item.EventId ?? "0", CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("The stream ended before the session went idle.");
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? "";
    }
}
