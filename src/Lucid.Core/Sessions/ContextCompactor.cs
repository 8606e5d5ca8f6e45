using Lucid.Events;
using Lucid.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

/// <summary>
/// Keeps what a log's turns send the model within its context window: before a request that would pass the threshold
/// (or, forced, after the provider answered "prompt is too long"), the agent's own model summarizes the oldest messages,
/// in parts when they would not fit one request, and the summary replaces them in what is sent
/// (<see cref="AgentThreadContextCompactedEvent"/>, folded by <see cref="Conversation"/>). The most recent messages stay
/// verbatim, a tool call never loses its result, and the system prompt, an active outcome's rubric and fix list and a
/// thread's task are kept. The log keeps every event; a compaction cut off by a restart left nothing and is done again.
/// </summary>
internal sealed class ContextCompactor(SessionRunner log, EngineParts parts, ILogger logger)
{
    private const int MaxSplits = 4;

    // What the provider reported of the runner's last request: how many conversation messages it sent, its prompt's
    // tokens, and the estimate of its system prompt then. Null before the first answer and after a compaction.
    private (int Messages, long PromptTokens, int SystemTokens)? _reported;

    private CompactionOptions Options => parts.Options.Compaction;

    /// <summary>
    /// Compacts the context when the next request would pass the threshold, or with <paramref name="force"/> whatever its
    /// size (keeping half as much verbatim). Returns whether it compacted.
    /// </summary>
    public async Task<bool> CompactAsync(TurnContext context, bool force, CancellationToken cancellationToken)
    {
        var model = context.Agent.Model;
        var usable = await UsableWindowAsync(context, cancellationToken);
        var messages = await log.ReadAsync(c => c.Messages.ToList(), cancellationToken);
        var tools = context.ChatOptions.Tools;
        var before = Math.Max(TokenEstimate.Of(model, messages, context.SystemPrompt, tools), FromReported(model, messages, context.SystemPrompt));
        if (!force && before <= usable * Options.Threshold)
        {
            return false;
        }

        // The most recent messages within the kept share of the window stay verbatim; at least the last one does.
        var keepBudget = usable * Options.KeepRecent / (force ? 2 : 1);
        var keepFrom = messages.Count;
        for (var kept = 0; keepFrom > 1; keepFrom--)
        {
            kept += TokenEstimate.Of(model, [messages[keepFrom - 1]]);
            if (kept > keepBudget)
            {
                break;
            }
        }

        var (cut, compactable) = await log.ReadAsync(
            c =>
            {
                var at = c.CompactionCut(Math.Min(keepFrom, messages.Count - 1));
                return (at, c.Compactable(at));
            },
            cancellationToken);
        if (cut <= 0 || compactable.Count == 0)
        {
            return false;
        }

        var summary = await SummarizeAsync(context, usable, compactable, cancellationToken);
        if (string.IsNullOrWhiteSpace(summary))
        {
            return false;
        }

        var after = TokenEstimate.Of(model, [new ChatMessage(ChatRole.User, CompactionSummary.Message(summary)), .. messages.Take(cut).Except(compactable), .. messages.Skip(cut)], context.SystemPrompt, tools);
        await log.AppendAsync([new AgentThreadContextCompactedEvent { Summary = summary, CompactedMessages = cut, TokensBefore = before, TokensAfter = after }], CancellationToken.None);
        _reported = null;
        CompactionLog.Compacted(logger, log.LogId, cut, before, after);
        return true;
    }

    /// <summary>
    /// Remembers the prompt size the provider reported for a request that sent <paramref name="sent"/> (the system prompt
    /// first, when there is one), which later estimates start from.
    /// </summary>
    public void Observe(TurnContext context, IReadOnlyList<ChatMessage> sent, UsageDetails? usage)
    {
        var system = sent.Count > 0 && sent[0].Role == ChatRole.System ? 1 : 0;
        _reported = usage?.InputTokenCount is > 0 and var prompt
            ? (sent.Count - system, prompt, TokenEstimate.Of(context.Agent.Model, context.SystemPrompt ?? ""))
            : null;
    }

    // The next request's size from the provider's count of the last one: its reported prompt, plus an estimate of the
    // messages added since (and of any change to the system prompt, which carries the memory listing). 0 when the
    // provider reported nothing. The larger of this and the whole estimate counts, so an estimate can only err toward
    // compacting early.
    private int FromReported(string model, List<ChatMessage> messages, string? system)
    {
        if (_reported is not { } reported || reported.Messages > messages.Count)
        {
            return 0;
        }

        // The last message sent, when it was the agent's, may have grown since (a reply's text and calls fold into one).
        var from = reported.Messages > 0 && messages[reported.Messages - 1].Role == ChatRole.Assistant ? reported.Messages - 1 : reported.Messages;
        var added = TokenEstimate.Of(model, messages.Skip(from)) + TokenEstimate.Of(model, system ?? "") - reported.SystemTokens;
        return (int)Math.Min(int.MaxValue, reported.PromptTokens + Math.Max(0, added));
    }

    /// <summary>The estimated tokens of a request with <paramref name="messages"/> (the system prompt among them) and the turn's tools.</summary>
    public static int Estimate(TurnContext context, IEnumerable<ChatMessage> messages) =>
        TokenEstimate.Of(context.Agent.Model, messages, null, context.ChatOptions.Tools);

    /// <summary>Remembers the window a provider stated in a "prompt is too long" answer, so later requests stay under it.</summary>
    public void Learn(string model, int window) => parts.LearnedContextWindows.AddOrUpdate(model, window, (_, known) => Math.Min(known, window));

    // The window less the reply's reserve: what the request itself may hold.
    private async Task<int> UsableWindowAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var info = await parts.Options.Catalog.GetAsync(context.Agent.Model, cancellationToken);
        var window = parts.LearnedContextWindows.TryGetValue(context.Agent.Model, out var learned) ? Math.Min(learned, info.ContextWindow) : info.ContextWindow;
        var reply = context.ChatOptions.MaxOutputTokens ?? info.MaxOutputTokens;
        return Math.Max(window - reply, window / 2);
    }

    // Folds the messages into one summary, a part at a time; a part the model finds too long is split and done again.
    private async Task<string?> SummarizeAsync(TurnContext context, int usable, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var model = context.Agent.Model;

        // The summary may take an eighth of the window at most; a part of the transcript, half of it less the summary.
        var summaryTokens = Math.Max(64, Math.Min(Options.SummaryTokens, usable / 8));
        var partBudget = Math.Max(1, (usable / 2) - summaryTokens);
        var pending = new Queue<(string Text, int Splits)>(Parts(model, messages, partBudget).Select(p => (p, 0)));
        string? summary = null;
        while (pending.TryDequeue(out var part))
        {
            try
            {
                var response = await context.Client.GetResponseAsync(
                    CompactionSummary.Request(summary, part.Text), new ChatOptions { MaxOutputTokens = summaryTokens }, cancellationToken);
                summary = string.IsNullOrWhiteSpace(response.Text) ? summary : response.Text.Trim();
            }
            catch (ModelRequestException ex) when (ex.Kind == ModelErrorKind.ContextTooLong && part.Splits < MaxSplits && part.Text.Length > 1)
            {
                if (ex.ContextWindow is { } window)
                {
                    Learn(model, window);
                }

                var half = part.Text.Length / 2;
                pending = new Queue<(string, int)>([(part.Text[..half], part.Splits + 1), (part.Text[half..], part.Splits + 1), .. pending]);
            }
        }

        return summary;
    }

    // The transcript of the messages, in parts of at most about partBudget tokens each.
    private IEnumerable<string> Parts(string model, IReadOnlyList<ChatMessage> messages, int partBudget)
    {
        var part = new System.Text.StringBuilder();
        var tokens = 0;
        foreach (var message in messages)
        {
            var text = CompactionSummary.Transcript(message, Options.ResultCharsInTranscript);
            var size = TokenEstimate.Of(model, text);
            if (tokens > 0 && tokens + size > partBudget)
            {
                yield return part.ToString();
                part.Clear();
                tokens = 0;
            }

            part.Append(text);
            tokens += size;
        }

        if (part.Length > 0)
        {
            yield return part.ToString();
        }
    }
}

internal static partial class CompactionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted the context of {LogId}: {Messages} messages summarized, ~{Before} → ~{After} tokens")]
    public static partial void Compacted(ILogger logger, LogId logId, int messages, int before, int after);
}
