using Lucid.Events;
using Lucid.Importing;
using Lucid.Testing.Data;
using Lucid.Threads;

namespace Lucid.Core.Tests.Importing;

public sealed class ClaudeCodeImportTests : IDisposable
{
    private readonly SessionLogImport _import = new();

    public void Dispose() => _import.Dispose();

    private static string MainFile => Path.Combine(SessionLogData.ClaudeCodeProject, SessionLogData.ClaudeCodeSession + ".jsonl");

    [Fact]
    public async Task A_project_folder_imports_each_session_and_a_subagent_file_becomes_a_thread_started_at_its_task_call()
    {
        var report = await _import.FolderAsync(ImportFormats.ClaudeCode, SessionLogData.ClaudeCodeProject);

        Assert.Empty(report.Malformed);
        Assert.Equal((2, 2), (report.Records, report.Imported.Count));
        Assert.Equal(
            new Dictionary<string, int> { ["file-history-snapshot"] = 1, ["system/compact_boundary"] = 1, ["system/stop_hook_summary"] = 1, ["user/isMeta"] = 1 },
            report.Ignored);
        var sessionId = await _import.SessionOfAsync(report, "claude_code.session_id", SessionLogData.ClaudeCodeSession);
        var session = (await _import.Store.GetSessionAsync(sessionId, CancellationToken.None))!;
        Assert.Equal("Fix coupon discount applied twice at checkout", session.Title);
        Assert.Equal(("/home/dev/shop", "fix-coupon"), (session.Metadata["claude_code.cwd"], session.Metadata["claude_code.git_branch"]));

        var events = await _import.EventsAsync(sessionId);
        Assert.Equal(
            [
                "user.message",
                "span.model_request_start", "agent.thinking", "agent.message", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.tool_use", "session.thread_created", "agent.thread_message_sent", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.message", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.message", "span.model_request_end",
            ],
            events.Select(e => e.Type));
        var uses = events.OfType<AgentToolUseEvent>().ToList();
        var results = events.OfType<AgentToolResultEvent>().ToList();
        Assert.Equal(["Grep", "Task", "Edit", "Edit"], uses.Select(u => u.Name));
        Assert.Equal(uses.Select(u => u.Id), results.Select(r => r.ToolUseId));
        Assert.Equal([false, false, true, false], results.Select(r => r.IsError));

        var thread = Assert.Single(await _import.Store.ListThreadsAsync(sessionId, CancellationToken.None));
        var created = events.OfType<SessionThreadCreatedEvent>().Single();
        Assert.Equal((thread.Id, "Explore", "Explore"), (created.SessionThreadId, created.AgentName, thread.Agent.Name));
        Assert.Equal(SessionThread.PrimaryId(sessionId), thread.ParentThreadId);
        var threadEvents = await _import.EventsAsync(thread.Id);
        Assert.Equal(
            [
                "agent.thread_message_received",
                "span.model_request_start", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.message", "span.model_request_end",
            ],
            threadEvents.Select(e => e.Type));
        var task = ((AgentThreadMessageReceivedEvent)threadEvents[0]).Content;
        Assert.Equal(((AgentThreadMessageSentEvent)events[10]).Content, task);
        Assert.StartsWith("List every place that calls Cart.apply_coupon", OpenAIChatTranscripts.Text(task), StringComparison.Ordinal);

        // Five responses of the lead (the first split over three lines, counted once) and three of the subagent.
        var usage = (await _import.Store.GetSessionAsync(sessionId, CancellationToken.None))!.Usage;
        Assert.Equal(96 + 188 + 120 + 140 + 58 + 80 + 60 + 170, usage.OutputTokens);
        Assert.Equal(14020 + 16230 + 16900 + 17320 + 17890 + 9800 + 10700 + 11200, usage.CacheReadInputTokens);
    }

    [Fact]
    public async Task An_inline_sidechain_becomes_a_thread_linked_by_its_prompt_and_a_compact_summary_a_compaction()
    {
        var report = await _import.FolderAsync(ImportFormats.ClaudeCode, SessionLogData.ClaudeCodeProject);
        var sessionId = await _import.SessionOfAsync(report, "claude_code.session_id", SessionLogData.ClaudeCodeOlderSession);

        var events = await _import.EventsAsync(sessionId);

        Assert.Equal(
            [
                "user.message",
                "span.model_request_start", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.message", "agent.tool_use", "session.thread_created", "agent.thread_message_sent", "span.model_request_end", "agent.tool_result",
                "agent.thread_context_compacted",
                "span.model_request_start", "agent.message", "agent.tool_use", "span.model_request_end", "agent.tool_result",
                "span.model_request_start", "agent.message", "span.model_request_end",
            ],
            events.Select(e => e.Type));
        Assert.True(events.OfType<AgentToolResultEvent>().First().IsError);
        Assert.StartsWith("This session is being continued", events.OfType<AgentThreadContextCompactedEvent>().Single().Summary, StringComparison.Ordinal);
        var thread = Assert.Single(await _import.Store.ListThreadsAsync(sessionId, CancellationToken.None));
        Assert.Equal("subagent", thread.Agent.Name);
        Assert.Equal(
            ["agent.thread_message_received", "span.model_request_start", "agent.tool_use", "span.model_request_end", "agent.tool_result", "span.model_request_start", "agent.message", "span.model_request_end"],
            (await _import.EventsAsync(thread.Id)).Select(e => e.Type));
        Assert.Equal("Run the test suite and fix what fails.", (await _import.Store.GetSessionAsync(sessionId, CancellationToken.None))!.Title);
    }

    [Fact]
    public async Task Lines_of_one_response_are_merged_at_the_first_even_when_a_result_comes_between_them()
    {
        const string Log = """
            {"type":"user","sessionId":"s1","uuid":"u1","message":{"role":"user","content":"Read a and b."}}
            {"type":"assistant","sessionId":"s1","uuid":"a1","message":{"id":"msg_1","role":"assistant","model":"m","content":[{"type":"tool_use","id":"t_a","name":"Read","input":{"file_path":"a"}}],"usage":{"input_tokens":10,"output_tokens":20}}}
            {"type":"user","sessionId":"s1","uuid":"u2","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t_a","content":"A"}]}}
            {"type":"assistant","sessionId":"s1","uuid":"a2","message":{"id":"msg_1","role":"assistant","model":"m","content":[{"type":"tool_use","id":"t_b","name":"Read","input":{"file_path":"b"}}],"usage":{"input_tokens":10,"output_tokens":45}}}
            {"type":"user","sessionId":"s1","uuid":"u3","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t_b","content":"B"}]}}
            """;

        var report = await _import.TextAsync(ImportFormats.ClaudeCode, Log);

        var events = await _import.EventsAsync(Assert.Single(report.Imported).SessionId);
        Assert.Equal(
            ["user.message", "span.model_request_start", "agent.tool_use", "agent.tool_use", "span.model_request_end", "agent.tool_result", "agent.tool_result"],
            events.Select(e => e.Type));
        var (a, b) = ((AgentToolUseEvent)events[2], (AgentToolUseEvent)events[3]);
        Assert.Equal([a.Id, b.Id], events.OfType<AgentToolResultEvent>().Select(r => r.ToolUseId));
        Assert.Equal(45, ((SpanModelRequestEndEvent)events[4]).ModelUsage.OutputTokens);
    }

    [Fact]
    public async Task A_subagent_starts_at_the_call_whose_result_names_its_agent_id_even_when_another_call_has_the_same_prompt()
    {
        const string Log = """
            {"type":"user","sessionId":"s1","uuid":"u1","message":{"role":"user","content":"Check both files."}}
            {"type":"assistant","sessionId":"s1","uuid":"a1","message":{"id":"msg_1","role":"assistant","content":[{"type":"tool_use","id":"t_1","name":"Task","input":{"prompt":"Check the file.","subagent_type":"first"}},{"type":"tool_use","id":"t_2","name":"Task","input":{"prompt":"Check the file.","subagent_type":"second"}}]}}
            {"type":"user","sessionId":"s1","isSidechain":true,"agentId":"x2","uuid":"x2u","message":{"role":"user","content":"Check the file."}}
            {"type":"assistant","sessionId":"s1","isSidechain":true,"agentId":"x2","uuid":"x2a","message":{"id":"msg_x2","role":"assistant","content":[{"type":"text","text":"Second is fine."}]}}
            {"type":"user","sessionId":"s1","isSidechain":true,"agentId":"x1","uuid":"x1u","message":{"role":"user","content":"Check the file."}}
            {"type":"assistant","sessionId":"s1","isSidechain":true,"agentId":"x1","uuid":"x1a","message":{"id":"msg_x1","role":"assistant","content":[{"type":"text","text":"First is fine."}]}}
            {"type":"user","sessionId":"s1","uuid":"u2","toolUseResult":{"agentId":"x1"},"message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t_1","content":"First is fine."}]}}
            {"type":"user","sessionId":"s1","uuid":"u3","toolUseResult":{"agentId":"x2"},"message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t_2","content":"Second is fine."}]}}
            """;

        var report = await _import.TextAsync(ImportFormats.ClaudeCode, Log);

        var events = await _import.EventsAsync(Assert.Single(report.Imported).SessionId);
        Assert.Equal(
            ["user.message", "agent.tool_use", "session.thread_created", "agent.thread_message_sent", "agent.tool_use", "session.thread_created", "agent.thread_message_sent", "agent.tool_result", "agent.tool_result"],
            events.Select(e => e.Type));
        var started = events.OfType<SessionThreadCreatedEvent>().ToList();
        Assert.Equal(["first", "second"], started.Select(s => s.AgentName));
        var answers = new List<string>();
        foreach (var thread in started)
        {
            answers.Add(OpenAIChatTranscripts.Text((await _import.EventsAsync(thread.SessionThreadId)).OfType<AgentMessageEvent>().Single().Content));
        }

        Assert.Equal(["First is fine.", "Second is fine."], answers);
    }

    [Fact]
    public async Task Malformed_lines_are_named_by_line_the_rest_is_imported_and_importing_again_writes_nothing()
    {
        var lines = File.ReadAllLines(MainFile).ToList();
        lines.Insert(3, "{\"type\": \"user\", \"sessionId\": \"" + SessionLogData.ClaudeCodeSession + "\", \"message\": {\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_nobody\", \"content\": \"?\"}]}}");
        lines.Insert(5, "{\"type\": \"assistant\"");
        lines.Insert(7, "[1, 2]");
        var jsonl = string.Join('\n', lines);

        var first = await _import.TextAsync(ImportFormats.ClaudeCode, jsonl);
        var sessionId = Assert.Single(first.Imported).SessionId;
        var written = (await _import.EventsAsync(sessionId)).Count;
        var second = await _import.TextAsync(ImportFormats.ClaudeCode, jsonl);

        Assert.Equal(["line 6", "line 8", "line 4"], first.Malformed.Select(m => m.Position));
        Assert.Contains("not valid JSON", first.Malformed[0].Reason, StringComparison.Ordinal);
        Assert.Contains("\"type\"", first.Malformed[1].Reason, StringComparison.Ordinal);
        Assert.Contains("toolu_nobody", first.Malformed[2].Reason, StringComparison.Ordinal);
        Assert.Equal(23, written); // the lead's 25 events less the thread's start: its subagent file is not in this upload
        Assert.Empty(await _import.Store.ListThreadsAsync(sessionId, CancellationToken.None));
        Assert.Empty(second.Imported);
        Assert.Equal(sessionId, Assert.Single(second.Skipped).SessionId);
        Assert.Equal(written, (await _import.EventsAsync(sessionId)).Count);
    }
}
