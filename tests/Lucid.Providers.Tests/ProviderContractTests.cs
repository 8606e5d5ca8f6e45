using System.Text.Json;
using Lucid.Agents;
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

    /// <summary>Asserts that a request carried <paramref name="effort"/> in the provider's reasoning setting.</summary>
    protected abstract void AssertCarriesEffort(RecordedRequest request, ModelEffort effort);

    /// <summary>Asserts that a request carried no reasoning setting, leaving the provider's default.</summary>
    protected abstract void AssertCarriesNoEffort(RecordedRequest request);

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

    [Theory]
    [InlineData(ModelEffort.Low)]
    [InlineData(ModelEffort.Medium)]
    [InlineData(ModelEffort.High)]
    [InlineData(ModelEffort.Xhigh)]
    [InlineData(ModelEffort.Max)]
    public async Task An_agents_effort_reaches_the_providers_reasoning_setting(ModelEffort effort)
    {
        ScriptText("thought hard");
        var options = Options;
        EffortOptions.Apply(options, effort);

        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        Assert.Equal("thought hard", response.Text);
        AssertCarriesEffort(Assert.Single(Server.Requests), effort);
    }

    [Fact]
    public async Task Without_an_effort_no_reasoning_setting_is_sent()
    {
        ScriptText("default effort");
        var options = Options;
        EffortOptions.Apply(options, null);

        await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        AssertCarriesNoEffort(Assert.Single(Server.Requests));
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

    // Anthropic takes every level as output_config.effort with adaptive thinking; max through Lucid's own client.
    protected override void AssertCarriesEffort(RecordedRequest request, ModelEffort effort)
    {
        Assert.Equal(EffortOptions.Name(effort), request.Json?["output_config"]?["effort"]?.GetValue<string>());
        Assert.Equal("adaptive", request.Json?["thinking"]?["type"]?.GetValue<string>());
        Assert.Equal("claude-test-1", request.Json?["model"]?.GetValue<string>());
        Assert.Equal("hi", Messages(request).Single()?["content"]?[0]?["text"]?.GetValue<string>());
    }

    protected override void AssertCarriesNoEffort(RecordedRequest request)
    {
        Assert.Null(request.Json?["output_config"]);
        Assert.Null(request.Json?["thinking"]);
    }

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

    // OpenAI's reasoning_effort has no level above xhigh, so max is sent as xhigh.
    protected override void AssertCarriesEffort(RecordedRequest request, ModelEffort effort) =>
        Assert.Equal(effort == ModelEffort.Max ? "xhigh" : EffortOptions.Name(effort), request.Json?["reasoning_effort"]?.GetValue<string>());

    protected override void AssertCarriesNoEffort(RecordedRequest request) => Assert.Null(request.Json?["reasoning_effort"]);

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

    // Ollama's think takes low, medium and high; xhigh and max are sent as high.
    protected override void AssertCarriesEffort(RecordedRequest request, ModelEffort effort) =>
        Assert.Equal(effort >= ModelEffort.High ? "high" : EffortOptions.Name(effort), request.Json?["think"]?.GetValue<string>());

    protected override void AssertCarriesNoEffort(RecordedRequest request) => Assert.Null(request.Json?["think"]);

    protected override void AssertCarriesToolResult(RecordedRequest request, string callId, string result)
    {
        Assert.Equal("/api/chat", request.Path.Split('?')[0]);
        var message = Messages(request).Single(m => m?["role"]?.GetValue<string>() == "tool");
        Assert.Contains(result, message?["content"]?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}
