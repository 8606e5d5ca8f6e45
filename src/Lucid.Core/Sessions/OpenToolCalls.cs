using Lucid.Events;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>
/// The answers owed for tool calls that will never get a result of their own: every call the model made must be
/// answered before its next request.
/// </summary>
internal static class OpenToolCalls
{
    /// <summary>Error results for the open calls of an interrupted turn, those waiting for the client included.</summary>
    public static List<SessionEvent> Interrupted(Conversation conversation) =>
        Results(conversation, "The user interrupted the turn before this tool call finished.", includeWaiting: true);

    /// <summary>
    /// After a restart: the cut-off model request's end, and error results for calls whose result was never committed
    /// (their outcome is unknown). Calls waiting for the client are left to it.
    /// </summary>
    public static List<SessionEvent> CutOff(Conversation conversation)
    {
        var events = Results(conversation, "The server stopped while this tool call ran, so its outcome is unknown: it may or may not have taken effect. Check before repeating it.", includeWaiting: false);
        if (conversation.OpenModelRequestId is { } open)
        {
            events.Insert(0, new SpanModelRequestEndEvent { ModelRequestStartId = open, IsError = true });
        }

        return events;
    }

    // Error results for the calls of the last model response that have none.
    private static List<SessionEvent> Results(Conversation conversation, string message, bool includeWaiting)
    {
        var waiting = includeWaiting ? [] : conversation.Pending.Where(p => p.Confirmation is null).Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var messages = conversation.Messages;
        var open = messages.Count > 0 && messages[^1].Role == ChatRole.Assistant
            ? messages[^1].Contents.OfType<FunctionCallContent>().Select(c => c.CallId).ToList()
            : [];
        if (messages.Count > 1 && messages[^1].Role == ChatRole.Tool && messages[^2].Role == ChatRole.Assistant)
        {
            answered.UnionWith(messages[^1].Contents.OfType<FunctionResultContent>().Select(r => r.CallId));
            open = [.. messages[^2].Contents.OfType<FunctionCallContent>().Select(c => c.CallId)];
        }

        return
        [
            .. open.Where(id => !answered.Contains(id) && !waiting.Contains(id)).Select(id => ToolResults.Error(id, conversation.IsMcpCall(id), message)),
        ];
    }
}
