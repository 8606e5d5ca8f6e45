using Lucid.Testing.Providers;

namespace Lucid.Benchmarks;

/// <summary>
/// What a run against child <c>lucid serve</c> processes sets up first: a stop that the run's timeout and Ctrl+C both
/// trigger (so that the processes are killed and their directories deleted), and a fake OpenAI model with the variables
/// that point a server at it.
/// </summary>
internal sealed class ServeRunSetup : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private ServeRunSetup(TimeSpan timeout, FakeOpenAIServer model)
    {
        _stop = new CancellationTokenSource(timeout);
        Model = model;
        Console.CancelKeyPress += OnCancel;
    }

    /// <summary>Cancelled when the run's time is up or Ctrl+C is pressed.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>The model the servers call (<c>openai/…</c>).</summary>
    public FakeOpenAIServer Model { get; }

    /// <summary>The variables that point a server at <see cref="Model"/>; a new dictionary each time, for the caller to add to.</summary>
    public Dictionary<string, string> ModelVariables() => new()
    {
        ["OPENAI_API_KEY"] = "sk-local",
        ["OPENAI_BASE_URL"] = Model.ApiBaseUrl,
    };

    /// <summary>Starts the model and arms the stop, bounded by <paramref name="timeout"/>.</summary>
    public static async Task<ServeRunSetup> StartAsync(TimeSpan timeout)
    {
        var model = new FakeOpenAIServer();
        await model.StartAsync();
        return new ServeRunSetup(timeout, model);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Console.CancelKeyPress -= OnCancel;
        await Model.DisposeAsync();
        _stop.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _stop.Cancel();
    }
}
