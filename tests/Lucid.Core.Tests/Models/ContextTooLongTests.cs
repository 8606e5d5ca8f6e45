using Lucid.Models;

namespace Lucid.Core.Tests.Models;

public sealed class ContextTooLongTests
{
    [Theory]
    [InlineData("prompt is too long: 208310 tokens > 200000 maximum", 200_000)]
    [InlineData("input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again", 200_000)]
    [InlineData("This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.", 128_000)]
    [InlineData("Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 280001 tokens.", 272_000)]
    [InlineData("the input length exceeds the context length", null)]
    [InlineData("the request exceeds the available context size, try increasing it", null)]
    [InlineData("Error code: context_length_exceeded", null)]
    public void The_providers_wordings_are_recognized_and_a_stated_window_is_read(string message, int? window)
    {
        Assert.True(ContextTooLong.Matches(message, out var stated));
        Assert.Equal(window, stated);
    }

    [Theory]
    [InlineData("messages: text content blocks must be non-empty")]
    [InlineData("Overloaded")]
    [InlineData("max_tokens: 300000 > 128000, which is the maximum allowed number of output tokens")]
    [InlineData("")]
    public void Other_errors_are_not(string message) => Assert.False(ContextTooLong.Matches(message, out _));
}
