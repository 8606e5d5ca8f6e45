using System.Text.Json;
using System.Text.Json.Serialization;
using Lucid.Sessions;

namespace Lucid.Events;

/// <summary>A child thread was created; written to the stream of the thread that spawned it.</summary>
public sealed record SessionThreadCreatedEvent : SessionEvent
{
    /// <summary>The new thread (<c>sthr_…</c>).</summary>
    public required string SessionThreadId { get; init; }

    /// <summary>The name of the agent the thread runs.</summary>
    public required string AgentName { get; init; }

    /// <summary>The workflow run that created the thread; always null, since Lucid runs no workflows.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? WorkflowRunId { get; init; }
}

/// <summary>
/// A status change of a child thread: written to the thread's own stream (where it is the thread's status) and
/// cross-posted to the session's primary stream (where it only reports on the child).
/// </summary>
public abstract record SessionThreadStatusEvent : SessionEvent
{
    /// <summary>The thread whose status changed.</summary>
    public required string SessionThreadId { get; init; }

    /// <summary>The name of the agent the thread runs.</summary>
    public required string AgentName { get; init; }
}

/// <summary>A child thread started working.</summary>
public sealed record SessionThreadStatusRunningEvent : SessionThreadStatusEvent;

/// <summary>A child thread stopped working and waits for a message.</summary>
public sealed record SessionThreadStatusIdleEvent : SessionThreadStatusEvent
{
    /// <summary>Why it stopped.</summary>
    public required StopReason StopReason { get; init; }

    /// <summary>More about why it stopped; always null in Lucid.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonElement? StopDetails { get; init; }
}

/// <summary>A child thread's turn is being redone after its process stopped.</summary>
public sealed record SessionThreadStatusRescheduledEvent : SessionThreadStatusEvent;

/// <summary>A child thread ended for good and takes no more messages.</summary>
public sealed record SessionThreadStatusTerminatedEvent : SessionThreadStatusEvent;

/// <summary>An agent sent a message to another thread; written to the sender's stream.</summary>
public sealed record AgentThreadMessageSentEvent : SessionEvent
{
    /// <summary>The thread the message went to.</summary>
    public required string ToSessionThreadId { get; init; }

    /// <summary>The name of the agent the message went to; absent when it went to the primary agent.</summary>
    public string? ToAgentName { get; init; }

    /// <summary>The message.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }
}

/// <summary>A message from another thread arrived; written to the receiving thread's stream, where it is that thread's input.</summary>
public sealed record AgentThreadMessageReceivedEvent : SessionEvent
{
    /// <summary>The thread that sent the message.</summary>
    public required string FromSessionThreadId { get; init; }

    /// <summary>The name of the agent that sent it; absent when it came from the primary agent.</summary>
    public string? FromAgentName { get; init; }

    /// <summary>The message.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }
}
