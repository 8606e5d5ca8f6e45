using Lucid.Events;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>
/// Records each model request of a turn in its log: <c>span.model_request_start</c> before the request, and
/// <c>span.model_request_end</c> with the token usage after it, priced by the model's list prices (marked as an error
/// when the request failed or was cancelled). The end of a request that answered is committed with the response's events, in one transaction. It sits
/// in the model pipeline, in front of the <c>chat</c> spans' client, so the turn loop only asks the model. It counts
/// the tokens on <c>lucid.model.tokens</c>.
/// </summary>
internal sealed class SpanRecordingChatClient(IChatClient inner, ITurnLog log, string model, Models.ModelInfo prices) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = await StartAsync(cancellationToken);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch
        {
            await EndAsync(start, null, isError: true);
            throw;
        }

        await EndAsync(start, response.Usage, isError: false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = await StartAsync(cancellationToken);
        var usage = new UsageDetails();
        var ended = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                foreach (var reported in update.Contents.OfType<UsageContent>())
                {
                    usage.Add(reported.Details);
                }

                yield return update;
            }

            ended = true;
        }
        finally
        {
            await EndAsync(start, ended ? usage : null, isError: !ended);
        }
    }

    private async Task<SpanModelRequestStartEvent> StartAsync(CancellationToken cancellationToken)
    {
        var start = log.Stamp(new SpanModelRequestStartEvent { Model = model });
        await log.AppendAsync([start], cancellationToken);
        return start;
    }

    // A request that answered ends with the next commit, the response's own events; a failed one ends at once.
    private async Task EndAsync(SpanModelRequestStartEvent start, UsageDetails? usage, bool isError)
    {
        var used = isError ? SessionUsage.Zero : SessionUsage.FromModel(usage);
        Telemetry.LucidMetrics.TokensUsed(model, used);
        var end = new SpanModelRequestEndEvent { ModelRequestStartId = start.Id, ModelUsage = used with { ListCostUsd = prices.ListCostUsd(used) }, IsError = isError };
        if (isError)
        {
            await log.AppendAsync([end], CancellationToken.None);
        }
        else
        {
            await log.AppendWithNextAsync(end);
        }
    }
}
