using System.Text.Json;
using Lucid.Events;
using Lucid.Importing;
using Lucid.Testing.Data;

namespace Lucid.Core.Tests.Importing;

public sealed class CodexImportTests : IDisposable
{
    private readonly SessionLogImport _import = new();

    public void Dispose() => _import.Dispose();

    [Fact]
    public async Task A_rollout_becomes_a_session_with_its_messages_calls_outputs_reasoning_usage_and_compaction()
    {
        var report = await _import.FolderAsync(ImportFormats.Codex, SessionLogData.CodexSessions);

        Assert.Empty(report.Malformed);
        Assert.Equal("2026/11/30/rollout-2026-11-30T09-15-00-0194c1e2-7a3b-7c55-9f10-2b6e8d4a1c37.jsonl line 1", Assert.Single(report.Imported).Position);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["event_msg/agent_message"] = 1, ["event_msg/agent_reasoning"] = 1, ["event_msg/token_count"] = 1, ["event_msg/user_message"] = 1,
                ["response_item/ghost_snapshot"] = 1, ["turn_context"] = 1,
            },
            report.Ignored);
        var sessionId = report.Imported[0].SessionId;
        var events = await _import.EventsAsync(sessionId);
        Assert.Equal(
            [
                "user.message", "user.message", "agent.thinking",
                "agent.tool_use", "agent.tool_result", "span.model_request_start", "span.model_request_end",
                "agent.tool_use", "agent.tool_result", "agent.tool_use", "agent.tool_result", "span.model_request_start", "span.model_request_end",
                "agent.tool_use", "agent.thread_context_compacted", "agent.tool_use", "agent.tool_result", "agent.message",
                "span.model_request_start", "span.model_request_end",
            ],
            events.Select(e => e.Type));
        var uses = events.OfType<AgentToolUseEvent>().ToList();
        Assert.Equal(["shell", "apply_patch", "shell", "web_search", "shell"], uses.Select(u => u.Name));
        Assert.Equal("cat deploy.sh", uses[0].Input.GetProperty("command")[2].GetString());
        Assert.StartsWith("*** Begin Patch", uses[1].Input.GetProperty("input").GetString(), StringComparison.Ordinal);
        Assert.Equal("bash ${1:?} with shift after optional flag", uses[3].Input.GetProperty("query").GetString());
        var results = events.OfType<AgentToolResultEvent>().ToList();
        Assert.Equal([uses[0].Id, uses[1].Id, uses[2].Id, uses[4].Id], results.Select(r => r.ToolUseId));
        Assert.Equal([false, false, true, false], results.Select(r => r.IsError));
        Assert.StartsWith("#!/bin/bash", OpenAIChatTranscripts.Text(results[0].Content), StringComparison.Ordinal);
        Assert.StartsWith("**Inspecting the deploy script**", events.OfType<AgentThinkingEvent>().Single().Text, StringComparison.Ordinal);
        Assert.StartsWith("The user wants a --dry-run flag", events.OfType<AgentThreadContextCompactedEvent>().Single().Summary, StringComparison.Ordinal);

        var session = (await _import.Store.GetSessionAsync(sessionId, CancellationToken.None))!;
        Assert.Equal("Add a --dry-run flag to deploy.sh that prints the rsync command instead of runn…", session.Title);
        Assert.Equal(("0194c1e2-7a3b-7c55-9f10-2b6e8d4a1c37", "gpt-5-codex", "/home/dev/ops"), (session.Metadata["codex.session_id"], session.Metadata["codex.model"], session.Metadata["codex.cwd"]));
        Assert.Equal((26880, 23552, 948), (session.Usage.InputTokens, session.Usage.CacheReadInputTokens, session.Usage.OutputTokens));
        var system = (await _import.Store.GetAgentAsync(session.AgentId, null, CancellationToken.None))!.System;
        Assert.StartsWith("You are Codex, based on GPT-5.", system, StringComparison.Ordinal);
        Assert.EndsWith("Approval policy: on-request.</permissions instructions>", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_lines_are_named_by_line_the_rest_is_imported_and_importing_again_writes_nothing()
    {
        var lines = File.ReadAllLines(SessionLogData.CodexRollout).ToList();
        lines.Insert(2, """{"timestamp":"2026-11-30T09:15:01.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_nobody","output":"?"}}""");
        lines.Insert(4, """{"timestamp":"2026-11-30T09:15:01.000Z","type":"response_item"}""");
        lines.Insert(6, "{\"timestamp\": ");
        var jsonl = string.Join('\n', lines);

        var first = await _import.TextAsync(ImportFormats.Codex, jsonl);
        var sessionId = Assert.Single(first.Imported).SessionId;
        var written = (await _import.EventsAsync(sessionId)).Count;
        var second = await _import.TextAsync(ImportFormats.Codex, jsonl);

        Assert.Equal(["line 7", "line 3", "line 5"], first.Malformed.Select(m => m.Position));
        Assert.Contains("not valid JSON", first.Malformed[0].Reason, StringComparison.Ordinal);
        Assert.Contains("call_nobody", first.Malformed[1].Reason, StringComparison.Ordinal);
        Assert.Contains("\"payload\"", first.Malformed[2].Reason, StringComparison.Ordinal);
        Assert.Equal(20, written);
        Assert.Empty(second.Imported);
        Assert.Equal(sessionId, Assert.Single(second.Skipped).SessionId);
        Assert.Equal(written, (await _import.EventsAsync(sessionId)).Count);
    }
}
