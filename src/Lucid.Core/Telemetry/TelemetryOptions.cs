namespace Lucid.Telemetry;

/// <summary>What the engine's traces may carry.</summary>
public sealed record TelemetryOptions
{
    /// <summary>
    /// Whether spans carry message content: the model's input and output on <c>chat</c> spans (Microsoft.Extensions.AI's
    /// <c>EnableSensitiveData</c>), tool arguments and results on <c>execute_tool</c> spans, and a grader's explanation
    /// on <c>gen_ai.evaluation.result</c> events. Off by default: content can hold anything a user or a tool wrote.
    /// </summary>
    public bool IncludeContent { get; init; }
}
