using System.Text.Json;
using Lucid.Models;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Lucid.Core.Tests.Models;

public sealed class TokenEstimateTests
{
    private const string Sentence = "Lucid keeps every step as an ordered, durable event log.";

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("openai/gpt-4.1-mini")]
    [InlineData("openai/gpt-5")]
    [InlineData("openai/o3")]
    public void An_openai_model_is_counted_with_its_tokenizer(string model)
    {
        var tokenizer = TiktokenTokenizer.CreateForModel(model["openai/".Length..]);

        Assert.Equal(13, tokenizer.CountTokens(Sentence));
        Assert.Equal(13, TokenEstimate.Of(model, Sentence));
        Assert.Equal(tokenizer.CountTokens(JsonText), TokenEstimate.Of(model, JsonText));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("anthropic/claude-opus-4-5")]
    [InlineData("ollama/qwen3")]
    [InlineData("openai/some-local-model")] // an OpenAI-compatible server's model: not a tokenizer tiktoken knows
    [InlineData("openai/gpt-4")] // cl100k_base, whose data Lucid does not ship
    public void Other_models_are_estimated_at_three_and_a_half_characters_a_token_rounded_up(string model)
    {
        Assert.Equal(0, TokenEstimate.Of(model, ""));
        Assert.Equal(1, TokenEstimate.Of(model, "a"));
        Assert.Equal(10, TokenEstimate.Of(model, new string('a', 35)));
        Assert.Equal(11, TokenEstimate.Of(model, new string('a', 36)));
        Assert.Equal(16, TokenEstimate.Of(model, Sentence)); // 56 characters
    }

    [Fact]
    public void A_request_counts_its_messages_system_prompt_and_tool_declarations()
    {
        var bash = AIFunctionFactory.CreateDeclaration("bash", "Run a command", JsonDocument.Parse("""{"type":"object"}""").RootElement);
        List<ChatMessage> messages = [new(ChatRole.User, new string('a', 35)), new(ChatRole.Assistant, "Done.")];

        var bare = TokenEstimate.Of("claude-sonnet-4-5", messages);
        var full = TokenEstimate.Of("claude-sonnet-4-5", messages, system: "Be nice", tools: [bash]);

        Assert.Equal((4 + 10) + (4 + 2), bare);
        // The system prompt: 4 + 7 characters; the tool: 8 + "bash" + "Run a command" + its 17-character schema.
        Assert.Equal(bare + (4 + 2) + (8 + 2 + 4 + 5), full);
    }

    [Fact]
    public void Tool_calls_and_results_are_counted_with_their_ids_names_arguments_and_results()
    {
        var call = new FunctionCallContent("call_1", "bash", new Dictionary<string, object?> { ["command"] = "ls -la" });
        var textResult = new FunctionResultContent("call_1", "a.txt b.txt");
        var jsonResult = new FunctionResultContent("call_1", JsonDocument.Parse("""{"files":3}""").RootElement);

        var withCall = TokenEstimate.Of("claude-sonnet-4-5", [new ChatMessage(ChatRole.Assistant, [call])]);
        var withText = TokenEstimate.Of("claude-sonnet-4-5", [new ChatMessage(ChatRole.Tool, [textResult])]);
        var withJson = TokenEstimate.Of("claude-sonnet-4-5", [new ChatMessage(ChatRole.Tool, [jsonResult])]);

        // 4 for the message, 8 for the call, "call_1", "bash" and {"command":"ls -la"} (21 characters).
        Assert.Equal(4 + 8 + 2 + 2 + 6, withCall);
        Assert.Equal(4 + 8 + 2 + 4, withText);
        Assert.Equal(4 + 8 + 2 + 4, withJson); // {"files":3} is 11 characters
    }

    [Fact]
    public void An_openai_request_counts_its_text_with_the_tokenizer_inside_the_message_overhead()
    {
        var estimate = TokenEstimate.Of("openai/gpt-4o", [new ChatMessage(ChatRole.User, Sentence)]);

        Assert.Equal(4 + 13, estimate);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o")]
    [InlineData("ollama/qwen3")]
    public void Each_added_message_raises_the_estimate(string model)
    {
        ChatMessage[] turns =
        [
            new(ChatRole.User, "What is in this directory?"),
            new(ChatRole.Assistant, [new TextReasoningContent("The user wants a listing."), new FunctionCallContent("toolu_1", "bash", new Dictionary<string, object?> { ["command"] = "ls" })]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_1", "README.md\nsrc\ntests")]),
            new(ChatRole.Assistant, "A README and two folders."),
            new(ChatRole.User, ""),
            new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
        ];
        var previous = TokenEstimate.Of(model, [], system: "Be brief.");
        for (var i = 1; i <= turns.Length; i++)
        {
            var estimate = TokenEstimate.Of(model, turns.Take(i), system: "Be brief.");

            Assert.True(estimate > previous, $"{i} messages: {estimate}, not more than {previous}");
            previous = estimate;
        }
    }

    [Fact]
    public void Reasoning_sent_back_from_an_earlier_turn_counts_as_text()
    {
        var estimate = TokenEstimate.Of("claude-sonnet-4-5", [new ChatMessage(ChatRole.Assistant, [new TextReasoningContent(new string('a', 35))])]);

        Assert.Equal(4 + 10, estimate);
    }

    [Fact]
    public void An_image_counts_as_a_fixed_number_of_tokens()
    {
        var estimate = TokenEstimate.Of("claude-sonnet-4-5", [new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")])]);

        Assert.Equal(4 + 1_600, estimate);
    }

    private const string JsonText = """{"command":"grep -rn \"TODO\" src/ | head -20","timeout_ms":120000}""";
}
