using System.Text;
using Lucid.Events;
using Lucid.Importing;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Importing;

public sealed class OpenAIChatImportTests : IDisposable
{
    private const string Conversation = """
        [{"role": "system", "content": "You are terse."},
         {"role": "user", "content": [{"type": "text", "text": "List files."}, {"type": "image_url", "image_url": {"url": "x"}}]},
         {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "ls", "arguments": "{\"path\": \"/tmp\"}"}},
            {"id": "call_2", "type": "function", "function": {"name": "ls", "arguments": "not json"}}]},
         {"role": "tool", "tool_call_id": "call_2", "content": "Error: bad arguments"},
         {"role": "tool", "tool_call_id": "call_1", "content": "a.txt"},
         {"role": "assistant", "content": "a.txt"}]
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("lucid-import-").FullName;
    private readonly InMemoryStore _store = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<ImportReport> ImportAsync(string source)
    {
        var importer = new TranscriptImporter(_store, new EventHub(_store), new ImportOptions { WorkDirectoriesRoot = _root });
        var report = await importer.ImportAsync("ws", ImportFormats.OpenAIChat, "chats", new MemoryStream(Encoding.UTF8.GetBytes(source)), CancellationToken.None);
        Assert.True(report.IsSuccess);
        return report.Value!;
    }

    [Fact]
    public async Task A_message_list_becomes_one_session_with_tool_calls_answered_by_id_in_order()
    {
        var report = await ImportAsync(Conversation);

        var imported = Assert.Single(report.Imported);
        var events = (await _store.ReadAsync(imported.SessionId, 0, 100, CancellationToken.None)).Select(e => e.Event).ToList();
        Assert.Equal(["user.message", "agent.tool_use", "agent.tool_use", "agent.tool_result", "agent.tool_result", "agent.message"], events.Select(e => e.Type));
        Assert.Equal("List files.[image_url omitted]", ((TextBlock)((UserMessageEvent)events[0]).Content[0]).Text);
        var (first, second) = ((AgentToolUseEvent)events[1], (AgentToolUseEvent)events[2]);
        Assert.Equal("/tmp", first.Input.GetProperty("path").GetString());
        Assert.Equal("not json", second.Input.GetProperty("arguments").GetString());
        Assert.Equal((second.Id, true), (((AgentToolResultEvent)events[3]).ToolUseId, ((AgentToolResultEvent)events[3]).IsError));
        Assert.Equal((first.Id, false), (((AgentToolResultEvent)events[4]).ToolUseId, ((AgentToolResultEvent)events[4]).IsError));
        var session = await _store.GetSessionAsync(imported.SessionId, CancellationToken.None);
        Assert.Equal("ws", session!.WorkspaceId);
        Assert.Equal("openai-chat:chats", session.Metadata["lucid.import.source"]);
        Assert.Equal("You are terse.", (await _store.GetAgentAsync(session.AgentId, null, CancellationToken.None))!.System);
    }

    [Fact]
    public async Task JSONL_of_message_objects_imports_good_lines_names_bad_ones_and_re_import_is_a_no_op()
    {
        var jsonl = string.Join('\n',
            $$"""{"messages": {{Conversation.ReplaceLineEndings(" ")}}}""",
            """{"messages": [{"role": "user", "content": "hi"}, {"role": "wizard", "content": "?"}]}""",
            """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""",
            """{"messages": [{"role": "user", "content": "hi"}""");

        var first = await ImportAsync(jsonl);
        var second = await ImportAsync(jsonl);

        Assert.Equal(["line 1", "line 3"], first.Imported.Select(i => i.Position));
        Assert.Equal(["line 2", "line 4"], first.Malformed.Select(m => m.Position));
        Assert.Contains("unknown role 'wizard'", first.Malformed[0].Reason, StringComparison.Ordinal);
        Assert.Empty(second.Imported);
        Assert.Equal(["line 1", "line 3"], second.Skipped.Select(s => s.Position));
    }

    [Fact]
    public async Task An_unknown_format_is_an_invalid_request()
    {
        var importer = new TranscriptImporter(_store, new EventHub(_store), new ImportOptions { WorkDirectoriesRoot = _root });
        var report = await importer.ImportAsync("ws", "csv", "x", new MemoryStream([]), CancellationToken.None);
        Assert.False(report.IsSuccess);
        Assert.Equal("format", report.Error.Field);
    }
}
