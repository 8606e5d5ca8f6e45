using Anthropic.Models.Messages;
using Lucid.Agents;
using Lucid.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Providers;

/// <summary>
/// Sends Anthropic's <c>max</c> effort, which <see cref="ReasoningEffort"/> cannot express (its highest level becomes
/// <c>xhigh</c>): the request's parameters carry <c>output_config.effort: max</c> with adaptive thinking, which the
/// Anthropic client leaves as given. Every other level passes through as <see cref="ChatOptions.Reasoning"/>.
/// </summary>
internal sealed class AnthropicEffortChatClient(IChatClient inner, string model, int maxOutputTokens) : DelegatingChatClient(inner)
{
    /// <summary>Tokens added to the output limit for thinking, as the Anthropic client adds for <c>xhigh</c>.</summary>
    internal const int ThinkingRoom = 32_768;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithMax(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithMax(options), cancellationToken);

    private ChatOptions? WithMax(ChatOptions? options)
    {
        if (options is null || EffortOptions.Of(options) != ModelEffort.Max)
        {
            return options;
        }

        var max = options.Clone();
        max.Reasoning = null;
        max.RawRepresentationFactory = _ => new MessageCreateParams
        {
            Model = model,
            Messages = [],
            MaxTokens = (options.MaxOutputTokens ?? maxOutputTokens) + ThinkingRoom,
            OutputConfig = new OutputConfig { Effort = Effort.Max },
            Thinking = new ThinkingConfigAdaptive(),
        };
        return max;
    }
}
