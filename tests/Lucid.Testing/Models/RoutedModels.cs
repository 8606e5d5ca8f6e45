using Lucid.Models;
using Lucid.Results;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>Sends <c>scripted/…</c> model strings to scripted clients and every other model string to a real resolver.</summary>
public sealed class RoutedModels(ScriptedModels scripted, IChatClientResolver other) : IChatClientResolver
{
    /// <inheritdoc />
    public Result<IChatClient> Resolve(string model) =>
        model.StartsWith("scripted/", StringComparison.Ordinal) ? scripted.Resolve(model) : other.Resolve(model);
}
