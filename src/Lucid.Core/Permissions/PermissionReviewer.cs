using System.Globalization;
using Lucid.Events;
using Lucid.Models;
using Lucid.Sessions;
using Microsoft.Extensions.Logging;

namespace Lucid.Permissions;

/// <summary>
/// Judges tool calls under the <c>auto</c> policy: its model, in a fresh context, sees the call, the task and the
/// agent's instructions (<see cref="ReviewPrompt"/>) and allows or denies it, or asks, holding it for the client's
/// <c>user.tool_confirmation</c> as under <c>always_ask</c>. Its requests are recorded in the log as
/// model requests, so they count into the session's usage. It fails closed: a model that cannot be resolved, a request
/// that fails or outlasts <c>timeout</c>, or an unreadable answer denies the call, with the cause as its reason.
/// </summary>
internal sealed class PermissionReviewer(
    IChatClientResolver models, string model, ModelInfo prices, ITurnLog log, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    /// <summary>The model the reviewer asks.</summary>
    public string Model => model;

    /// <summary>The judgement on one call. Only the turn's own cancellation (an interrupt) escapes as an exception.</summary>
    public async Task<AutoJudgement> ReviewAsync(ToolCallReview call, CancellationToken cancellationToken)
    {
        var client = models.Resolve(model);
        if (!client.IsSuccess)
        {
            return AutoJudgement.Undecided($"The reviewer model '{model}' cannot be used, so the call was denied: {client.Error.Message}");
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var reviewer = new SpanRecordingChatClient(client.Value, log, model, prices);
            var response = await reviewer.GetResponseAsync(ReviewPrompt.Request(call), ReviewPrompt.Options(), linked.Token);
            return ReviewPrompt.Parse(response.Text);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return AutoJudgement.Undecided(string.Create(
                CultureInfo.InvariantCulture, $"The reviewer did not answer within {timeout.TotalSeconds:0.###} s, so the call was denied."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SessionLog.ModelRequestFailed(logger, ex, log.LogId);
            return AutoJudgement.Undecided($"The reviewer failed, so the call was denied: {SessionErrors.From(ex).Message}");
        }
    }
}
