using Lucid.Models;
using Lucid.Testing.Providers;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Providers.Tests;

public sealed class OllamaModelWindowsTests : IAsyncLifetime
{
    private readonly FakeOllamaServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OllamaModelWindows Windows(TimeProvider? time = null) => new(new ProviderSettings { OllamaHost = _server.BaseUrl }, time);

    [Fact]
    public async Task The_num_ctx_parameter_is_preferred_to_the_models_context_length()
    {
        _server.ReplyShow("qwen3", contextLength: 40_960, numCtx: 8_192);
        using var windows = Windows();

        var window = await windows.ContextWindowAsync("ollama/qwen3:8b", CancellationToken.None);

        Assert.Equal(8_192, window);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/api/show"), (request.Method, request.Path));
        Assert.Equal("qwen3:8b", request.Json?["model"]?.GetValue<string>());
    }

    [Fact]
    public async Task Without_num_ctx_the_architectures_context_length_is_the_window_and_it_is_asked_for_once()
    {
        _server.ReplyShow("llama", contextLength: 131_072);
        using var windows = Windows();

        var first = await windows.ContextWindowAsync("ollama/llama3.1", CancellationToken.None);
        var again = await windows.ContextWindowAsync("ollama/llama3.1", CancellationToken.None);

        Assert.Equal(131_072, first);
        Assert.Equal(131_072, again);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_failed_look_up_is_null_and_is_tried_again_next_time()
    {
        _server.Error(404, "model 'qwen3' not found").ReplyShow("qwen3", contextLength: null).Drop();
        _server.Status(200, "{ not json");
        _server.ReplyShow("qwen3", contextLength: 40_960);
        using var windows = Windows();

        int?[] answers =
        [
            await windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None),
            await windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None),
            await windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None),
            await windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None),
            await windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None),
        ];

        Assert.Equal([null, null, null, null, 40_960], answers);
        Assert.Equal(5, _server.Requests.Count);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_gives_null()
    {
        _server.Then(async (_, response) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, response.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
        });
        var time = new FakeTimeProvider();
        using var windows = Windows(time);

        var pending = windows.ContextWindowAsync("ollama/qwen3", CancellationToken.None).AsTask();
        time.Advance(OllamaModelWindows.LookUpTimeout);

        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task No_server_and_models_of_other_providers_give_null_without_throwing()
    {
        using var closed = new OllamaModelWindows(new ProviderSettings { OllamaHost = "127.0.0.1:1" });
        using var windows = Windows();

        Assert.Null(await closed.ContextWindowAsync("ollama/qwen3", CancellationToken.None));
        Assert.Null(await windows.ContextWindowAsync("openai/gpt-4o", CancellationToken.None));
        Assert.Null(await windows.ContextWindowAsync("ollama/", CancellationToken.None));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task The_catalog_takes_ollamas_window_and_falls_back_to_the_default_when_ollama_cannot_tell()
    {
        _server.ReplyShow("qwen3", contextLength: 40_960, numCtx: 16_384).Error(500, "out of memory");
        using var windows = Windows();
        var catalog = new ModelCatalog(windows: windows);

        var qwen = await catalog.GetAsync("ollama/qwen3", CancellationToken.None);
        var broken = await catalog.GetAsync("ollama/mistral", CancellationToken.None);

        Assert.Equal(new ModelInfo { ContextWindow = 16_384, MaxOutputTokens = 4_096, IsKnown = true }, qwen);
        Assert.Equal(ModelCatalog.BuiltIn.Get("ollama/mistral"), broken);
        Assert.False(broken.IsKnown);
    }
}
