using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Data;
using Lucid.Testing.Server;
using ThreadEvents = Anthropic.Models.Beta.Sessions.Threads.Events;

namespace Lucid.Conformance.Tests;

/// <summary><c>POST /v1/lucid/imports/claude-code</c> and <c>/codex</c>, and what the official SDK reads of the sessions they make.</summary>
public sealed class SessionLogImportEndpointTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> PostAsync(string path, byte[] body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = _server.Http(_server.AlphaKey);
        using var response = await http.PostAsync(path, new ByteArrayContent(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Anthropic.AnthropicClient Client() =>
        new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    [Fact]
    public async Task A_claude_code_session_posted_with_its_subagent_file_imports_once_with_the_subagent_as_a_thread_the_sdk_reads()
    {
        var project = SessionLogData.ClaudeCodeProject;
        var body = File.ReadAllBytes(Path.Combine(project, SessionLogData.ClaudeCodeSession + ".jsonl"))
            .Concat(File.ReadAllBytes(Path.Combine(project, SessionLogData.ClaudeCodeSession, "subagents", "agent-a7c3e915.jsonl"))).ToArray();

        var report = await PostAsync("/v1/lucid/imports/claude-code?source=shop", body);
        var again = await PostAsync("/v1/lucid/imports/claude-code?source=shop", body);

        Assert.Equal(1, report.GetProperty("ignored").GetProperty("file-history-snapshot").GetInt32());
        var imported = Assert.Single(report.GetProperty("imported").EnumerateArray());
        Assert.Equal(("line 2", 37), (imported.GetProperty("position").GetString(), imported.GetProperty("events").GetInt32()));
        var sessionId = imported.GetProperty("session_id").GetString()!;
        Assert.Equal(sessionId, again.GetProperty("skipped")[0].GetProperty("session_id").GetString());

        using var client = Client();
        var session = await client.Beta.Sessions.Retrieve(sessionId);
        Assert.Equal("claude-code:shop", session.Metadata["lucid.import.source"]);
        Assert.Equal(96L + 188 + 120 + 140 + 58 + 80 + 60 + 170, session.Usage.OutputTokens);
        var events = await client.Beta.Sessions.Events.List(sessionId, new EventListParams { Limit = 100 });
        Assert.Equal(25, events.Items.Count);
        Assert.Contains(events.Items, e => e.Json.GetProperty("type").GetString() == "session.thread_created");
        var threads = await client.Beta.Sessions.Threads.List(sessionId);
        var child = Assert.Single(threads.Items, t => t.ParentThreadID is not null);
        var threadEvents = await client.Beta.Sessions.Threads.Events.List(child.ID, new ThreadEvents.EventListParams { SessionID = sessionId, Limit = 100 });
        Assert.Equal(12, threadEvents.Items.Count);
        Assert.Equal("agent.thread_message_received", threadEvents.Items[0].Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_codex_rollout_posts_as_one_session_and_a_body_with_no_session_is_a_400_that_writes_nothing()
    {
        var report = await PostAsync("/v1/lucid/imports/codex", File.ReadAllBytes(SessionLogData.CodexRollout));
        var sessionId = Assert.Single(report.GetProperty("imported").EnumerateArray()).GetProperty("session_id").GetString()!;
        using var client = Client();
        var session = await client.Beta.Sessions.Retrieve(sessionId);
        Assert.Equal((26880L, 948L), (session.Usage.InputTokens, session.Usage.OutputTokens));
        Assert.Equal(20, (await client.Beta.Sessions.Events.List(sessionId, new EventListParams { Limit = 100 })).Items.Count);

        var before = await _server.SnapshotAsync();
        var turnOnly = await PostAsync(
            "/v1/lucid/imports/codex",
            Encoding.UTF8.GetBytes("""{"timestamp":"2026-11-30T09:15:01.000Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}"""),
            HttpStatusCode.BadRequest);
        var snapshotsOnly = await PostAsync(
            "/v1/lucid/imports/claude-code",
            Encoding.UTF8.GetBytes("""{"type":"file-history-snapshot","messageId":"m1","snapshot":{"messageId":"m1","trackedFileBackups":{}},"isSnapshotUpdate":false}"""),
            HttpStatusCode.BadRequest);

        Assert.Equal(("body", "body"), (turnOnly.GetProperty("error").GetProperty("field").GetString(), snapshotsOnly.GetProperty("error").GetProperty("field").GetString()));
        Assert.Contains("line 1: session", turnOnly.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("holds no message", turnOnly.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("(file-history-snapshot)", snapshotsOnly.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _server.SnapshotAsync());
    }
}
