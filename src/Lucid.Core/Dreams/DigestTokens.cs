namespace Lucid.Dreams;

/// <summary>
/// A session's token usage from its <c>span.model_request_end</c> events (and graders' usage on evaluation ends). Wasted
/// tokens are those of model requests that failed, or whose tool calls all failed.
/// </summary>
public sealed record DigestTokens
{
    /// <summary>Model requests made.</summary>
    public int ModelRequests { get; init; }

    /// <summary>Input tokens, cache reads and writes included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Input plus output tokens of wasted requests.</summary>
    public long WastedTokens { get; init; }

    /// <summary>The <c>span.model_request_end</c> events of the wasted requests (at most 20).</summary>
    public IReadOnlyList<string> WastedEventIds { get; init; } = [];

    /// <summary>Times the context was compacted (<c>agent.thread_context_compacted</c>): the session outgrew its model's window.</summary>
    public int Compactions { get; init; }

    /// <summary>The compaction events (at most 20).</summary>
    public IReadOnlyList<string> CompactionEventIds { get; init; } = [];
}
