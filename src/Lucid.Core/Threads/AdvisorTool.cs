using System.Text.Json;
using Lucid.Tools;

namespace Lucid.Threads;

/// <summary><c>advisor</c>: the session's primary thread consults its advisor model, and gets its advice as the result.</summary>
internal sealed class AdvisorTool : BuiltInTool
{
    public const string ToolName = "advisor";

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "question": { "type": "string", "description": "What you want advice on. Optional: the advisor reads your task and the conversation so far." }
          }
        }
        """).RootElement.Clone();

    public override string Name => ToolName;

    public override string Description =>
        "Consult your advisor, a stronger model that reads your task and the whole conversation so far (it has no tools), and get its advice: for a plan before hard work, when you are stuck, or to check your approach before you finish.";

    public override JsonElement InputSchema => Schema;

    protected override Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        context.Advisor is { } advisor ? advisor.ConsultAsync(input, cancellationToken) : Task.FromResult(ToolResult.Fail("This agent has no advisor."));
}
