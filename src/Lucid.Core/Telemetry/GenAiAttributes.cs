namespace Lucid.Telemetry;

/// <summary>Attribute names of the OpenTelemetry GenAI semantic conventions that Lucid sets, and Lucid's own.</summary>
internal static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string AgentName = "gen_ai.agent.name";
    public const string AgentId = "gen_ai.agent.id";
    public const string ConversationId = "gen_ai.conversation.id";
    public const string RequestModel = "gen_ai.request.model";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolType = "gen_ai.tool.type";
    public const string ToolCallArguments = "gen_ai.tool.call.arguments";
    public const string ToolCallResult = "gen_ai.tool.call.result";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string EvaluationResultEvent = "gen_ai.evaluation.result";
    public const string EvaluationName = "gen_ai.evaluation.name";
    public const string EvaluationScoreLabel = "gen_ai.evaluation.score.label";
    public const string EvaluationExplanation = "gen_ai.evaluation.explanation";

    public const string InvokeAgent = "invoke_agent";
    public const string ExecuteTool = "execute_tool";

    public const string ThreadId = "lucid.thread.id";
    public const string AgentVersion = "lucid.agent.version";
    public const string LogKind = "lucid.log.kind";
    public const string McpServerName = "lucid.mcp.server.name";
    public const string OutcomeId = "lucid.outcome.id";
    public const string OutcomeIteration = "lucid.outcome.iteration";
}
