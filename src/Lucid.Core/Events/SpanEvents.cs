using Lucid.Sessions;

namespace Lucid.Events;

/// <summary>A model request began.</summary>
public sealed record SpanModelRequestStartEvent : SessionEvent
{
    /// <summary>The model string the request went to.</summary>
    public string? Model { get; init; }
}

/// <summary>A model request ended, with its token usage.</summary>
public sealed record SpanModelRequestEndEvent : SessionEvent
{
    /// <summary>The matching <c>span.model_request_start</c> event.</summary>
    public required string ModelRequestStartId { get; init; }

    /// <summary>Whether the request failed.</summary>
    public bool IsError { get; init; }

    /// <summary>Token usage of the request.</summary>
    public SessionUsage ModelUsage { get; init; } = SessionUsage.Zero;
}
