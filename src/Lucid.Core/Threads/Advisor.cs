using System.Text.Json;
using Lucid.Sessions;
using Lucid.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Lucid.Threads;

/// <summary>
/// The advisor model the session's primary thread may consult (<c>multiagent.advisor</c>, or a coordinator's advisor
/// entry). Each consultation is one request in a fresh context (<see cref="AdvisorPrompt"/>), recorded in the log as a
/// model request so it counts into the session's usage; a session with a budget consults only a priced advisor, and
/// not once the budget is reached. Failures are tool errors the agent reads.
/// </summary>
internal sealed class Advisor(EngineParts parts, ITurnLog log, string sessionId, string model, string? system, bool budgeted)
{
    /// <summary>The advisor's model.</summary>
    public string Model => model;

    /// <summary>Asks the advisor about the conversation so far; its answer is the result.</summary>
    public async Task<ToolResult> ConsultAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var prices = parts.Options.Catalog.Get(model);
        if (budgeted && await parts.Store.GetSessionAsync(sessionId, cancellationToken) is { Budget: { } budget } session)
        {
            if (!prices.IsPriced)
            {
                return ToolResult.Fail($"The advisor model '{model}' has no list price, so the session's budget cannot measure it; the advisor was not consulted.");
            }

            if (budget.IsReachedBy(session.Usage.ListCostUsd))
            {
                return ToolResult.Fail("The session's budget is reached; the advisor was not consulted.");
            }
        }

        var client = parts.Models.Resolve(model);
        if (!client.IsSuccess)
        {
            return ToolResult.Fail($"The advisor model '{model}' cannot be used: {client.Error.Message}");
        }

        var question = input.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
        var (task, conversation) = await log.ReadAsync(c => (c.TaskMessages.ToList(), c.Messages.ToList()), cancellationToken);
        try
        {
            var advisor = new SpanRecordingChatClient(client.Value, log, model, prices);
            var response = await advisor.GetResponseAsync(
                AdvisorPrompt.Request(system, task, conversation, question), new ChatOptions { MaxOutputTokens = parts.Options.MaxOutputTokens }, cancellationToken);
            return response.Text is { Length: > 0 } advice ? ToolResult.Ok(advice) : ToolResult.Fail("The advisor gave no answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SessionLog.ModelRequestFailed(parts.Logs.CreateLogger("Lucid.Threads"), ex, log.LogId);
            return ToolResult.Fail($"The advisor could not be consulted: {SessionErrors.From(ex).Message}");
        }
    }
}
