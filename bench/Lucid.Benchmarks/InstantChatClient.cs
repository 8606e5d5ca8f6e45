using Microsoft.Extensions.AI;

namespace Lucid.Benchmarks;

/// <summary>A model that answers "ok" at once, so a run measures Lucid and not the model.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private static readonly ChatResponse Reply = new(new ChatMessage(ChatRole.Assistant, "ok"))
    {
        Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 },
    };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Reply);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Reply.ToChatResponseUpdates().ToAsyncEnumerable();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
