using Lucid.Models;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.Extensions.AI;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The dream's model: asks for a structured JSON reply, records the call as a model-request span in the dream's session,
/// and adds its usage to the dream. Every model failure becomes the dream's error, named after the stage that asked.
/// </summary>
internal sealed class DreamModel(IChatClient client, DreamRun run, ILucidStore store)
{
    /// <summary>The reply's text to <paramref name="prompt"/> (and <paramref name="feedback"/> on a previous reply), secrets redacted from both.</summary>
    public async Task<string> AskAsync(DreamPrompt request, string prompt, string? feedback, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, request.Instructions), new(ChatRole.User, run.Secrets.Redact(prompt)) };
        if (feedback is not null)
        {
            messages.Add(new ChatMessage(ChatRole.User, run.Secrets.Redact(feedback)));
        }

        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(request.Schema, request.SchemaName) };
        var start = await run.Journal.ModelStartAsync(run.Dream.Model, cancellationToken);
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await run.Journal.ModelEndAsync(start, SessionUsage.Zero, true, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            await run.Journal.ModelEndAsync(start, SessionUsage.Zero, true, CancellationToken.None);
            var type = ex is ModelRequestException { Kind: ModelErrorKind.RateLimited } ? "rate_limited"
                : ex is ModelRequestException { Kind: ModelErrorKind.Overloaded } ? "overloaded" : "model_error";
            throw new DreamFailedException(type, $"The model request of the {request.Stage.ToWire()} stage failed: {ex.Message}", ex);
        }

        var usage = SessionUsage.FromModel(response.Usage);
        await run.Journal.ModelEndAsync(start, usage, false, CancellationToken.None);
        await store.UpdateDreamAsync(run.Dream.Id, d => d with { Usage = d.Usage.Add(usage) }, CancellationToken.None);
        return response.Text;
    }
}
