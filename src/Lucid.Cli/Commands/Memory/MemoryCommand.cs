using System.CommandLine;

namespace Lucid.Cli.Commands.Memory;

/// <summary>
/// <c>lucid memory …</c>: read, edit, audit and sync memory stores in the local database. Every change is a version
/// recorded with the local user as its author. Each verb is its own command class; this one puts them together.
/// </summary>
internal static class MemoryCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace of the stores.", DefaultValueFactory = _ => Workspaces.Default, Recursive = true };
        var verb = new MemoryVerb(context, workspace);
        return new Command("memory", "Read, edit, audit and sync memory stores.")
        {
            workspace,
            StoresCommand.Create(verb),
            LsCommand.Create(verb),
            CatCommand.Create(verb),
            WriteCommand.Create(verb),
            EditCommand.Create(verb),
            RmCommand.Create(verb),
            MvCommand.Create(verb),
            LogCommand.Create(verb),
            DiffCommand.Create(verb),
            RevertCommand.Create(verb),
            RedactCommand.Create(verb),
            PullCommand.Create(verb),
            PushCommand.Create(verb),
        };
    }
}
