using Lucid.Agents;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Sandboxing;
using Lucid.Threads;
using Lucid.Validation;

namespace Lucid.Sessions;

/// <summary>What makes input events valid: on their own, as initial events, and against a session's state.</summary>
internal static class SessionInputRules
{
    /// <summary>Checks the initial events of a new session.</summary>
    public static LucidError? CheckInitial(IReadOnlyList<SessionEvent> initial)
    {
        if (initial.Count > Rules.MaxInitialEvents)
        {
            return LucidError.Invalid("initial_events", $"At most {Rules.MaxInitialEvents} initial events are allowed; got {initial.Count}.");
        }

        for (var i = 0; i < initial.Count; i++)
        {
            var error = initial[i] switch
            {
                UserMessageEvent message => CheckMessage(message, $"initial_events[{i}]"),
                UserDefineOutcomeEvent outcome => CheckOutcome(outcome, $"initial_events[{i}]"),
                SystemMessageEvent system => CheckSystemMessage(system, initial, i, $"initial_events[{i}]"),
                var other => LucidError.Invalid($"initial_events[{i}]", $"Initial events may only be user.message, user.define_outcome or system.message; got {other.Type}."),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return initial.OfType<UserDefineOutcomeEvent>().Skip(1).Any()
            ? LucidError.Invalid("initial_events", "A session works toward one outcome at a time; define the next after the first ends.")
            : null;
    }

    /// <summary>Checks each input against the pending tool calls, as they will be after the inputs before it.</summary>
    public static LucidError? CheckAgainstState(IReadOnlyList<SessionEvent> inputs, Conversation conversation, string sessionId)
    {
        var waiting = conversation.Pending.Where(p => p.Confirmation is null).ToDictionary(p => p.EventId, StringComparer.Ordinal);
        var outcomeActive = conversation.Outcome is not null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = inputs.Count == 1 ? "event" : $"events[{i}]";
            switch (inputs[i])
            {
                case UserMessageEvent message:
                    if (CheckMessage(message, field) is { } messageError)
                    {
                        return messageError;
                    }

                    if (waiting.Count > 0)
                    {
                        return LucidError.Conflict(
                            $"The session is waiting for the client on {string.Join(", ", waiting.Keys)}; answer with user.tool_confirmation or user.custom_tool_result, or send user.interrupt, before a new message.");
                    }

                    break;
                case UserToolConfirmationEvent confirmation:
                    if (!waiting.Remove(confirmation.ToolUseId, out var call) || call.IsCustom)
                    {
                        return LucidError.Invalid($"{field}.tool_use_id", $"'{confirmation.ToolUseId}' is not a tool call waiting for confirmation.");
                    }

                    break;
                case UserCustomToolResultEvent result:
                    if (!waiting.Remove(result.CustomToolUseId, out var custom) || !custom.IsCustom)
                    {
                        return LucidError.Invalid($"{field}.custom_tool_use_id", $"'{result.CustomToolUseId}' is not a custom tool call waiting for its result.");
                    }

                    break;
                case UserDefineOutcomeEvent outcome:
                    if (CheckOutcome(outcome, field) is { } outcomeError)
                    {
                        return outcomeError;
                    }

                    if (outcomeActive)
                    {
                        return LucidError.Conflict("The session is already working toward an outcome; define the next one after it ends, or send user.interrupt.");
                    }

                    if (waiting.Count > 0)
                    {
                        return LucidError.Conflict($"The session is waiting for the client on {string.Join(", ", waiting.Keys)}; answer those first.");
                    }

                    outcomeActive = true;
                    break;
                case SystemMessageEvent system:
                    if (CheckSystemMessage(system, inputs, i, field) is { } systemError)
                    {
                        return systemError;
                    }

                    break;
                case UserInterruptEvent interrupt:
                    if (interrupt.SessionThreadId is null || interrupt.SessionThreadId == SessionThread.PrimaryId(sessionId))
                    {
                        waiting.Clear();
                    }

                    break;
                default:
                    return LucidError.Invalid($"{field}.type", $"'{inputs[i].Type}' is not an event a client can send.");
            }
        }

        return null;
    }

    /// <summary>
    /// Command checks run like the agent's <c>bash</c>, in the session's sandbox: an outcome may have them only when the
    /// agent's bash tool is enabled and this server runs commands at all. <paramref name="field"/> names input <c>i</c>.
    /// </summary>
    public static LucidError? CheckCommandChecks(IReadOnlyList<SessionEvent> inputs, Func<int, string> field, Agent agent, SandboxOptions sandbox)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var checks = inputs[i] is UserDefineOutcomeEvent { Checks: { } defined } ? defined : [];
            for (var j = 0; j < checks.Count; j++)
            {
                if (checks[j] is not CommandCheck)
                {
                    continue;
                }

                var path = $"{field(i)}.checks[{j}].command";
                if (!agent.Tools.OfType<AgentToolset>().Any(t => t.Resolve("bash").Enabled))
                {
                    return LucidError.Invalid(path, $"A command check runs like the agent's bash tool, which agent '{agent.Id}' does not have enabled; enable bash in its toolset, or use file_exists or pattern checks.");
                }

                if (sandbox.Isolation == ProcessIsolation.Refused)
                {
                    return LucidError.Invalid(path, SandboxedCommand.RefusalMessage(sandbox, "A command check"));
                }
            }
        }

        return null;
    }

    private static LucidError? CheckOutcome(UserDefineOutcomeEvent outcome, string field) =>
        string.IsNullOrWhiteSpace(outcome.Description) ? LucidError.Invalid($"{field}.description", "An outcome needs a description: what the agent should produce.")
        : string.IsNullOrWhiteSpace(outcome.Rubric.Content) ? LucidError.Invalid($"{field}.rubric", "An outcome needs a rubric: how to grade it.")
        : outcome.Rubric.Content.Length > Rules.MaxRubricLength ? LucidError.Invalid($"{field}.rubric.content", $"A rubric may have at most {Rules.MaxRubricLength:N0} characters.")
        : outcome.MaxIterations is < 1 or > UserDefineOutcomeEvent.MostIterations ? LucidError.Invalid($"{field}.max_iterations", $"max_iterations must be 1 to {UserDefineOutcomeEvent.MostIterations}.")
        : outcome.GraderSamples is < 1 or > Rules.MaxGraderSamples ? LucidError.Invalid($"{field}.grader_samples", $"grader_samples must be 1 to {Rules.MaxGraderSamples}.")
        : null;

    // As the API says: at most one a request, the last event, right after the user.message or custom tool result it
    // goes with (initial events are one request).
    private static LucidError? CheckSystemMessage(SystemMessageEvent system, IReadOnlyList<SessionEvent> inputs, int index, string field) =>
        index != inputs.Count - 1 || index == 0 || inputs[index - 1] is not (UserMessageEvent or UserCustomToolResultEvent)
            ? LucidError.Invalid(field, "A system.message must be the last event of its request, right after the user.message or user.custom_tool_result it goes with.")
            : system.Content.Count == 0 || system.Content.All(b => b is TextBlock { Text.Length: 0 })
            ? LucidError.Invalid($"{field}.content", "A system.message needs at least one non-empty text block.")
            : null;

    private static LucidError? CheckMessage(UserMessageEvent message, string field) =>
        message.Content.Count == 0 || message.Content.All(b => b is TextBlock { Text.Length: 0 })
            ? LucidError.Invalid($"{field}.content", "A user.message needs at least one non-empty content block.")
            : null;
}
