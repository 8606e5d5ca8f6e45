namespace Lucid.Models;

/// <summary>Asks a model's server for the context window it runs the model with (Ollama knows this of its local models).</summary>
public interface IModelWindowSource
{
    /// <summary>
    /// The context window in tokens for <paramref name="model"/> (a Lucid model string such as <c>ollama/qwen3</c>), or null
    /// when this source does not serve the model or cannot tell. Never throws for a failed look-up.
    /// </summary>
    ValueTask<int?> ContextWindowAsync(string model, CancellationToken cancellationToken);
}
