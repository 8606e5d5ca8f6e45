using System.Text.Json;
using Lucid.Tools;

namespace Lucid.Threads;

/// <summary><c>start_thread</c>: starts a child thread on a roster agent or an inline agent, with a task; returns at once.</summary>
internal sealed class StartThreadTool(string description, JsonElement inputSchema) : BuiltInTool
{
    public const string ToolName = "start_thread";

    public override string Name => ToolName;

    public override string Description => description;

    public override JsonElement InputSchema => inputSchema;

    protected override Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        context.Threads is { } threads ? threads.StartAsync(input, cancellationToken) : Task.FromResult(ToolResult.Fail("This agent cannot start threads."));
}

/// <summary><c>send_to_thread</c>: sends a follow-up message to one of the caller's threads; returns at once.</summary>
internal sealed class SendToThreadTool : BuiltInTool
{
    public const string ToolName = "send_to_thread";

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "thread_id": { "type": "string", "description": "The thread (sthr_…) that start_thread returned." },
            "message": { "type": "string", "description": "What to tell or ask the thread's agent." }
          },
          "required": ["thread_id", "message"]
        }
        """).RootElement.Clone();

    public override string Name => ToolName;

    public override string Description =>
        "Send a follow-up message to a thread you started, for example to correct it or give it more work. Returns at once; call wait_for_threads for the reply.";

    public override JsonElement InputSchema => Schema;

    protected override Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        context.Threads is { } threads ? threads.SendAsync(input, cancellationToken) : Task.FromResult(ToolResult.Fail("This agent has no threads."));
}

/// <summary><c>wait_for_threads</c>: waits until threads have answered their latest message and returns their final answers.</summary>
internal sealed class WaitForThreadsTool : BuiltInTool
{
    public const string ToolName = "wait_for_threads";

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "thread_ids": {
              "type": "array",
              "items": { "type": "string" },
              "description": "The threads to wait for. Omit to wait for every thread you started."
            }
          }
        }
        """).RootElement.Clone();

    public override string Name => ToolName;

    public override string Description =>
        "Wait until the given threads have finished working on their latest message, and get each one's final answer (or why it failed). Threads run in parallel: start them all first, then wait once.";

    public override JsonElement InputSchema => Schema;

    protected override Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        context.Threads is { } threads ? threads.WaitAsync(input, cancellationToken) : Task.FromResult(ToolResult.Fail("This agent has no threads."));
}
