using System.CommandLine;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary>What every memory verb is wired with: the CLI context and the <c>--workspace</c> option of <c>lucid memory</c>.</summary>
internal sealed class MemoryVerb(CliContext context, Option<string> workspace)
{
    /// <summary>Runs a verb's action in a <see cref="MemoryScope"/>.</summary>
    public Task<int> RunAsync(ParseResult parse, Func<MemoryScope, Task<int>> work, CancellationToken cancellationToken) =>
        MemoryScope.RunAsync(context, parse.GetValue(workspace)!, work, cancellationToken);

    /// <summary>Runs a verb's action on the store its <paramref name="store"/> argument names; exit code 1 when it names none.</summary>
    public Task<int> RunAsync(ParseResult parse, Argument<string> store, Func<MemoryScope, MemoryStore, Task<int>> work, CancellationToken cancellationToken) =>
        RunAsync(parse, async s => await s.StoreAsync(parse.GetRequiredValue(store), cancellationToken) is { } found ? await work(s, found) : 1, cancellationToken);
}
