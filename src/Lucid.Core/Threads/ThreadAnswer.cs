using Lucid.Events;
using Lucid.Sessions;

namespace Lucid.Threads;

/// <summary>
/// What a thread made of its latest message: the final answer of the turn that handled it (the agent's messages after
/// its last tool call — never its intermediate steps), or why the turn failed.
/// </summary>
/// <param name="Thread">The thread.</param>
/// <param name="Outcome"><c>answered</c>, <c>failed</c>, <c>waiting</c> (for a tool confirmation a thread cannot get) or <c>terminated</c>.</param>
/// <param name="Text">The final answer, or the failure.</param>
internal sealed record ThreadAnswer(SessionThread Thread, string Outcome, string Text)
{
    /// <summary>Whether the thread gave no answer.</summary>
    public bool Failed => Outcome != "answered";

    /// <summary>The answer as the waiting agent reads it.</summary>
    public string Describe() => Outcome switch
    {
        "answered" => $"<thread id=\"{Thread.Id}\" agent=\"{Thread.Agent.Name}\" status=\"answered\">\n{Text}\n</thread>",
        "failed" => $"<thread id=\"{Thread.Id}\" agent=\"{Thread.Agent.Name}\" status=\"failed\">\nThe thread failed: {Text}\nYou may retry with send_to_thread, start another thread, or go on without it.\n</thread>",
        "waiting" => $"<thread id=\"{Thread.Id}\" agent=\"{Thread.Agent.Name}\" status=\"waiting\">\n{Text}\n</thread>",
        _ => $"<thread id=\"{Thread.Id}\" agent=\"{Thread.Agent.Name}\" status=\"terminated\">\nThe thread was terminated before it answered.{(Text.Length > 0 ? $" Its last words: {Text}" : "")}\n</thread>",
    };

    /// <summary>
    /// Follows the thread's log from its latest received message until the turn that handled it ends (a turn that
    /// was already running when the message came ends first and does not count).
    /// </summary>
    public static async Task<ThreadAnswer> WaitAsync(EventHub events, SessionRunner runner, SessionThread thread, CancellationToken cancellationToken)
    {
        // The thread's runner knows where its latest message is without reading the log. A thread that already
        // ended is read the same way: its log says whether the turn failed before it terminated (a thread stopped at
        // its tool-use limit fails, then terminates), and a message that reached it after it terminated is answered
        // with another terminated status.
        var lastMessage = await runner.ReadAsync(c => c.LastThreadMessageSequence, cancellationToken);
        var running = false;
        var answer = new List<string>();
        string? error = null;
        await foreach (var logged in events.FollowAsync(LogId.Of(thread.Id), lastMessage, cancellationToken))
        {
            switch (logged.Event)
            {
                case SessionThreadStatusRunningEvent own when own.SessionThreadId == thread.Id:
                    running = true;
                    answer.Clear();
                    error = null;
                    break;
                case AgentMessageEvent message when running:
                    answer.Add(Conversation.Text(message.Content));
                    break;
                case AgentToolUseEvent or AgentCustomToolUseEvent or AgentMcpToolUseEvent when running:
                    answer.Clear();
                    break;
                case SessionErrorEvent failure when running:
                    error = failure.Error.Message;
                    break;
                case SessionThreadStatusTerminatedEvent own when own.SessionThreadId == thread.Id:
                    return new ThreadAnswer(thread, "terminated", string.Join("\n", answer));
                case SessionThreadStatusIdleEvent idle when running && idle.SessionThreadId == thread.Id:
                    if (idle.StopReason.Type == "requires_action")
                    {
                        return new ThreadAnswer(thread, "waiting", "The thread stopped for a tool call that needs a confirmation or a custom tool's result, which threads cannot get. Give it work that its always-allowed tools can do.");
                    }

                    return error is not null || idle.StopReason.Type == StopReason.RetriesExhausted.Type
                        ? new ThreadAnswer(thread, "failed", error ?? "its model request failed.")
                        : new ThreadAnswer(thread, "answered", answer.Count > 0 ? string.Join("\n", answer) : "(The thread ended its turn without a message.)");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"The log of thread {thread.Id} ended while it was followed.");
    }
}
