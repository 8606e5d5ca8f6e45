using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Lucid.Events;

/// <summary>
/// One entry of a session's event log. The <c>type</c> names (<c>user.message</c>, <c>agent.tool_use</c>, …)
/// are the Managed Agents API's; the JSON shape is the log's storage format.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(UserMessageEvent), "user.message")]
[JsonDerivedType(typeof(UserInterruptEvent), "user.interrupt")]
[JsonDerivedType(typeof(UserToolConfirmationEvent), "user.tool_confirmation")]
[JsonDerivedType(typeof(UserCustomToolResultEvent), "user.custom_tool_result")]
[JsonDerivedType(typeof(UserDefineOutcomeEvent), "user.define_outcome")]
[JsonDerivedType(typeof(SystemMessageEvent), "system.message")]
[JsonDerivedType(typeof(AgentMessageEvent), "agent.message")]
[JsonDerivedType(typeof(AgentThinkingEvent), "agent.thinking")]
[JsonDerivedType(typeof(AgentToolUseEvent), "agent.tool_use")]
[JsonDerivedType(typeof(AgentToolResultEvent), "agent.tool_result")]
[JsonDerivedType(typeof(AgentCustomToolUseEvent), "agent.custom_tool_use")]
[JsonDerivedType(typeof(AgentMcpToolUseEvent), "agent.mcp_tool_use")]
[JsonDerivedType(typeof(AgentMcpToolResultEvent), "agent.mcp_tool_result")]
[JsonDerivedType(typeof(AgentThreadContextCompactedEvent), "agent.thread_context_compacted")]
[JsonDerivedType(typeof(SessionStatusRunningEvent), "session.status_running")]
[JsonDerivedType(typeof(SessionStatusIdleEvent), "session.status_idle")]
[JsonDerivedType(typeof(SessionStatusRescheduledEvent), "session.status_rescheduled")]
[JsonDerivedType(typeof(SessionStatusTerminatedEvent), "session.status_terminated")]
[JsonDerivedType(typeof(SessionErrorEvent), "session.error")]
[JsonDerivedType(typeof(SessionUsageEvent), "session.usage")]
[JsonDerivedType(typeof(SessionUpdatedEvent), "session.updated")]
[JsonDerivedType(typeof(SpanModelRequestStartEvent), "span.model_request_start")]
[JsonDerivedType(typeof(SpanModelRequestEndEvent), "span.model_request_end")]
[JsonDerivedType(typeof(SpanOutcomeEvaluationStartEvent), "span.outcome_evaluation_start")]
[JsonDerivedType(typeof(SpanOutcomeEvaluationOngoingEvent), "span.outcome_evaluation_ongoing")]
[JsonDerivedType(typeof(SpanOutcomeEvaluationEndEvent), "span.outcome_evaluation_end")]
[JsonDerivedType(typeof(SessionThreadCreatedEvent), "session.thread_created")]
[JsonDerivedType(typeof(SessionThreadStatusRunningEvent), "session.thread_status_running")]
[JsonDerivedType(typeof(SessionThreadStatusIdleEvent), "session.thread_status_idle")]
[JsonDerivedType(typeof(SessionThreadStatusRescheduledEvent), "session.thread_status_rescheduled")]
[JsonDerivedType(typeof(SessionThreadStatusTerminatedEvent), "session.thread_status_terminated")]
[JsonDerivedType(typeof(AgentThreadMessageSentEvent), "agent.thread_message_sent")]
[JsonDerivedType(typeof(AgentThreadMessageReceivedEvent), "agent.thread_message_received")]
[JsonDerivedType(typeof(OutcomeBaselineEvent), "lucid.outcome_baseline")]
public abstract record SessionEvent
{
    /// <summary>The prefix of the types of Lucid's own events, which the API never serves.</summary>
    public const string LucidOnlyPrefix = "lucid.";

    private static readonly FrozenDictionary<Type, string> TypeNames = typeof(SessionEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => a.TypeDiscriminator as string ?? throw new InvalidOperationException($"{a.DerivedType.Name} has no type name."));

    /// <summary>The event's ID (<c>sevt_…</c>), assigned by the server.</summary>
    public string Id { get; init; } = "";

    /// <summary>When the server processed the event.</summary>
    public DateTimeOffset ProcessedAt { get; init; }

    /// <summary>The event's type name, such as <c>agent.tool_use</c>.</summary>
    [JsonIgnore]
    public string Type => TypeNames[GetType()];

    /// <summary>Whether this is an input event (sent by a client) rather than one the session produced.</summary>
    [JsonIgnore]
    public bool IsInput => this is UserMessageEvent or UserInterruptEvent or UserToolConfirmationEvent or UserCustomToolResultEvent or UserDefineOutcomeEvent or SystemMessageEvent;

    /// <summary>
    /// Whether the event is Lucid's own record (its type starts with <c>lucid.</c>): kept in the log for the engine, never
    /// served by the API, whose clients (the official SDK) accept only the API's event types.
    /// </summary>
    [JsonIgnore]
    public bool IsLucidOnly => Type.StartsWith(LucidOnlyPrefix, StringComparison.Ordinal);

    /// <summary>Every event type name the log knows.</summary>
    public static IReadOnlyCollection<string> AllTypeNames => TypeNames.Values;

    /// <summary>The event type names the API serves: all but Lucid's own.</summary>
    public static IReadOnlySet<string> ApiTypeNames { get; } =
        TypeNames.Values.Where(t => !t.StartsWith(LucidOnlyPrefix, StringComparison.Ordinal)).ToFrozenSet(StringComparer.Ordinal);
}
