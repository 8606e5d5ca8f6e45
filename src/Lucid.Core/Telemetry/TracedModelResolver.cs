using System.Collections.Concurrent;
using Lucid.Models;
using Lucid.Results;
using Microsoft.Extensions.AI;

namespace Lucid.Telemetry;

/// <summary>
/// Puts Microsoft.Extensions.AI's OpenTelemetry client (<c>chat</c> spans, <c>gen_ai.client.*</c> metrics, under
/// <see cref="LucidTelemetry.Name"/>) in front of every client the engine resolves. Each such client owns an activity
/// source and a meter, so there is one per resolved client for the engine's lifetime, not one per turn.
/// </summary>
internal sealed class TracedModelResolver(IChatClientResolver inner, TelemetryOptions options) : IChatClientResolver, IDisposable
{
    private readonly ConcurrentDictionary<IChatClient, Lazy<IChatClient>> _traced = new(ReferenceEqualityComparer.Instance);

    public Result<IChatClient> Resolve(string model)
    {
        var resolved = inner.Resolve(model);
        return resolved.IsSuccess
            ? Result<IChatClient>.Ok(_traced.GetOrAdd(resolved.Value, client => new Lazy<IChatClient>(() => Trace(client))).Value)
            : resolved;
    }

    private IChatClient Trace(IChatClient client) =>
        new Borrowed(client).AsBuilder()
            .UseOpenTelemetry(sourceName: LucidTelemetry.Name, configure: c => c.EnableSensitiveData = options.IncludeContent)
            .Build();

    /// <summary>Releases the activity sources and meters; the resolver keeps its own clients.</summary>
    public void Dispose()
    {
        foreach (var traced in _traced.Values.Where(t => t.IsValueCreated))
        {
            traced.Value.Dispose();
        }
    }

    // The resolver owns the provider's client: disposing the telemetry in front of it must leave it alone.
    private sealed class Borrowed(IChatClient client) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            client.GetResponseAsync(messages, options, cancellationToken);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            client.GetStreamingResponseAsync(messages, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => client.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
