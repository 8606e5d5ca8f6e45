using System.CommandLine;
using Lucid.Cli.Rendering;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory stores create NAME [-d DESCRIPTION]</c>.</summary>
internal static class CreateStoreCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var name = new Argument<string>("name") { Description = "A name for the store; its mount directory in sessions derives from it." };
        var description = new Option<string?>("--description", "-d") { Description = "What the store holds; agents see it in their system prompt." };
        var create = new Command("create", "Create a memory store.") { name, description };
        create.SetAction((p, ct) => verb.RunAsync(p, s => CreateAsync(s, p.GetRequiredValue(name), p.GetValue(description), ct), ct));
        return create;
    }

    private static async Task<int> CreateAsync(MemoryScope s, string name, string? description, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.CreateStoreAsync(s.Workspace, name, description, null, cancellationToken), created => MemoryRenderer.StoreCreated(s.Console, created));
}
