using Lucid.Models;
using Lucid.Results;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>Resolves model strings to scripted clients: one per model string, created on first use.</summary>
public sealed class ScriptedModels : IChatClientResolver
{
    private readonly Dictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Routes <paramref name="model"/> to <paramref name="client"/>.</summary>
    public ScriptedModels With(string model, IChatClient client)
    {
        _clients[model] = client;
        return this;
    }

    /// <inheritdoc />
    public Result<IChatClient> Resolve(string model) =>
        _clients.TryGetValue(model, out var client)
            ? Result<IChatClient>.Ok(client)
            : LucidError.Invalid("model", $"No scripted model named '{model}'.");
}
