using System.Text.Json;
using Lucid.Models;
using Lucid.Testing.Providers;
using Microsoft.Extensions.AI;

namespace Lucid.Providers.Tests;

/// <summary>
/// The same tests for every provider: its real client code (the official SDK behind Lucid's resolver) against a local
/// fake server that speaks the provider's wire format.
/// </summary>
public abstract class ProviderContractTests<TServer> : IAsyncLifetime
    where TServer : FakeProviderServer, new()
{
    private static readonly JsonElement BashSchema = JsonDocument.Parse("""{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}""").RootElement;

    protected TServer Server { get; } = new();

    protected RecordingTimeProvider Time { get; } = new();

    /// <summary>The model string that routes to this provider.</summary>
    protected abstract string Model { get; }

    /// <summary>Settings pointing the provider at the fake server.</summary>
    protected abstract ProviderSettings Settings(ProviderSettings defaults);

    protected abstract void ScriptToolCall(string name, object arguments);

    protected abstract void ScriptText(string text);

    protected abstract void ScriptError(int status, string message, params (string Name, string Value)[] headers);

    /// <summary>The <c>messages</c> array of a recorded request body.</summary>
    protected static System.Text.Json.Nodes.JsonArray Messages(RecordedRequest request) =>
        request.Json?["messages"] as System.Text.Json.Nodes.JsonArray ?? throw new InvalidOperationException("The request has no messages array.");

    /// <summary>Asserts that a request carried the result of a tool call in the provider's format.</summary>
    protected abstract void AssertCarriesToolResult(RecordedRequest request, string callId, string result);

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private IChatClient Client(int maxRetries = 2)
    {
        var resolver = new ModelResolver(Settings(new ProviderSettings { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(5) }), Time);
        var client = resolver.Resolve(Model);
        return client.IsSuccess ? client.Value : throw new InvalidOperationException(client.Error.Message);
    }

    private static ChatOptions Options => new() { Tools = [AIFunctionFactory.CreateDeclaration("bash", "Run a command", BashSchema)] };

    [Fact]
    public async Task Turn_with_one_tool_call_round_trips_through_the_provider_wire_format()
    {
        ScriptToolCall("bash", new { command = "ls -la" });
        ScriptText("There are three files.");
        var client = Client();
        List<ChatMessage> history = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is here?")];

        var first = await client.GetResponseAsync(history, Options);

        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("bash", call.Name);
        Assert.Equal("ls -la", call.Arguments?["command"]?.ToString());
        Assert.Equal(12, first.Usage?.InputTokenCount);
        Assert.Equal(7, first.Usage?.OutputTokenCount);

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "a.txt b.txt c.txt")]));
        var second = await client.GetResponseAsync(history, Options);

        Assert.Equal("There are three files.", second.Text);
        Assert.Equal(2, Server.Requests.Count);
        AssertCarriesToolResult(Server.Requests[1], call.CallId, "a.txt b.txt c.txt");
        Assert.Contains("Be brief.", Server.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_with_retry_after_is_retried_after_the_given_delay()
    {
        ScriptError(429, "slow down", ("retry-after", "1"));
        ScriptText("ok after waiting");

        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("ok after waiting", response.Text);
        Assert.Equal(2, Server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(1), Time.Timers);
    }

    [Theory]
    [InlineData(529, ModelErrorKind.Overloaded)]
    [InlineData(500, ModelErrorKind.RequestFailed)]
    [InlineData(429, ModelErrorKind.RateLimited)]
    public async Task Failure_after_retries_is_a_model_request_exception_of_the_right_kind(int status, ModelErrorKind kind)
    {
        for (var i = 0; i < 3; i++)
        {
            ScriptError(status, "try later");
        }

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => Client(maxRetries: 2).GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(3, Server.Requests.Count);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        Server.Drop();
        ScriptText("answered after a dropped connection");

        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("answered after a dropped connection", response.Text);
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task A_stalled_reply_times_out_and_is_retried_then_fails()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.Then(async (_, response) => await Task.Delay(Timeout.Infinite, response.HttpContext.RequestAborted));
        }

        var resolver = new ModelResolver(Settings(new ProviderSettings { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(1) }), Time);
        var client = resolver.Resolve(Model).Value ?? throw new InvalidOperationException("no client");

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ModelErrorKind.RequestFailed, ex.Kind);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        // Each attempt gives up after its timeout; on a loaded machine the last one may give up before the server has
        // even read it, so what proves the retry is that more than one attempt arrived.
        Assert.InRange(Server.Requests.Count, 2, 3);
    }

    [Fact]
    public async Task A_malformed_reply_is_retried_then_surfaces_as_a_model_request_exception()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.Status(200, "{ this is not json");
        }

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => Client(maxRetries: 2).GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ModelErrorKind.RequestFailed, ex.Kind);
        Assert.Equal(3, Server.Requests.Count);
    }

    [Fact]
    public async Task A_malformed_streamed_reply_is_retried_then_surfaces_as_a_model_request_exception()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.Status(200, "{ this is not json");
        }

        var ex = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in Client(maxRetries: 2).GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            {
                Assert.Fail($"A malformed reply streamed an update: {update}");
            }
        });

        Assert.Equal(ModelErrorKind.RequestFailed, ex.Kind);
        Assert.Equal(3, Server.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        ScriptError(400, "bad request body");

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ModelErrorKind.RequestFailed, ex.Kind);
        Assert.Single(Server.Requests);
    }
}

public sealed class AnthropicProviderTests : ProviderContractTests<FakeAnthropicServer>
{
    protected override string Model => "anthropic/claude-test-1";

    protected override ProviderSettings Settings(ProviderSettings defaults) => defaults with { AnthropicApiKey = "sk-ant-test", AnthropicBaseUrl = Server.BaseUrl };

    protected override void ScriptToolCall(string name, object arguments) => Server.ReplyToolUse(name, arguments);

    protected override void ScriptText(string text) => Server.ReplyText(text);

    protected override void ScriptError(int status, string message, params (string Name, string Value)[] headers) =>
        Server.Error(status, status == 429 ? "rate_limit_error" : status == 529 ? "overloaded_error" : "api_error", message, headers);

    protected override void AssertCarriesToolResult(RecordedRequest request, string callId, string result)
    {
        Assert.Equal("/v1/messages", request.Path.Split('?')[0]);
        Assert.Contains("sk-ant-test", request.Headers.GetValueOrDefault("x-api-key") + request.Headers.GetValueOrDefault("authorization"), StringComparison.Ordinal);
        var block = Messages(request).SelectMany(m => m?["content"] is System.Text.Json.Nodes.JsonArray a ? a : []).Single(b => b?["type"]?.GetValue<string>() == "tool_result");
        Assert.Equal(callId, block?["tool_use_id"]?.GetValue<string>());
        Assert.Contains(result, block?["content"]?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}

public sealed class OpenAIProviderTests : ProviderContractTests<FakeOpenAIServer>
{
    protected override string Model => "openai/test-model";

    protected override ProviderSettings Settings(ProviderSettings defaults) => defaults with { OpenAIApiKey = "sk-test", OpenAIBaseUrl = Server.ApiBaseUrl };

    protected override void ScriptToolCall(string name, object arguments) => Server.ReplyToolCall(name, arguments);

    protected override void ScriptText(string text) => Server.ReplyText(text);

    protected override void ScriptError(int status, string message, params (string Name, string Value)[] headers) =>
        Server.Error(status, status == 429 ? "rate_limit_exceeded" : "server_error", message, headers);

    protected override void AssertCarriesToolResult(RecordedRequest request, string callId, string result)
    {
        Assert.Equal("/v1/chat/completions", request.Path.Split('?')[0]);
        Assert.Equal("Bearer sk-test", request.Headers["authorization"]);
        var message = Messages(request).Single(m => m?["role"]?.GetValue<string>() == "tool");
        Assert.Equal(callId, message?["tool_call_id"]?.GetValue<string>());
        Assert.Contains(result, message?["content"]?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}

public sealed class OllamaProviderTests : ProviderContractTests<FakeOllamaServer>
{
    protected override string Model => "ollama/qwen3";

    protected override ProviderSettings Settings(ProviderSettings defaults) => defaults with { OllamaHost = Server.BaseUrl };

    protected override void ScriptToolCall(string name, object arguments) => Server.ReplyToolCall(name, arguments);

    protected override void ScriptText(string text) => Server.ReplyText(text);

    protected override void ScriptError(int status, string message, params (string Name, string Value)[] headers) => Server.Error(status, message, headers);

    protected override void AssertCarriesToolResult(RecordedRequest request, string callId, string result)
    {
        Assert.Equal("/api/chat", request.Path.Split('?')[0]);
        var message = Messages(request).Single(m => m?["role"]?.GetValue<string>() == "tool");
        Assert.Contains(result, message?["content"]?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}
