using System.CommandLine;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid dream …</c>: learning from past sessions. <c>lucid dream --store S --sessions …</c> runs a whole dream here,
/// printing each stage; <c>lucid dream show ID</c> prints its report and what it changed; <c>lucid dream cancel ID</c>
/// stops one; <c>lucid dream mine</c> runs only the model-free half (digest and mine) and prints the patterns;
/// <c>lucid dream changes|accept|reject|finish</c> review a dream run with <c>--review</c>.
/// </summary>
internal static class DreamCommand
{
    public static Command Create(CliContext context)
    {
        var dream = new Command("dream", "Learn from past sessions: dream over them into cited lessons in a memory store (or only mine them).")
        {
            DreamMineCommand.Create(context), DreamShowCommand.Create(context), DreamCancelCommand.Create(context),
        };
        foreach (var review in DreamReviewCommand.Create(context))
        {
            dream.Subcommands.Add(review);
        }

        DreamRunCommand.AddTo(context, dream);
        return dream;
    }

    /// <summary>The <c>--workspace</c> option of the dream commands.</summary>
    internal static Option<string> WorkspaceOption(string description) =>
        new("--workspace", "-w") { Description = description, DefaultValueFactory = _ => Workspaces.Default };

    /// <summary>A subcommand that acts on one dream of a workspace, such as <c>show</c> and <c>cancel</c>.</summary>
    internal static Command OnDream(string name, string description, Func<string, string, CancellationToken, Task<int>> action)
    {
        var id = new Argument<string>("id") { Description = "The dream (drm_…)." };
        var workspace = WorkspaceOption("The workspace.");
        var command = new Command(name, description) { id, workspace };
        command.SetAction((parse, ct) => action(parse.GetValue(id) ?? "", parse.GetValue(workspace) ?? Workspaces.Default, ct));
        return command;
    }

    /// <summary>A subcommand that acts on one proposed change of a dream, such as <c>accept</c>: the action gets the dream, the change and the workspace.</summary>
    internal static Command OnChange(string name, string description, Func<string, string, string, CancellationToken, Task<int>> action)
    {
        var id = new Argument<string>("id") { Description = "The dream (drm_…)." };
        var change = new Argument<string>("change-id") { Description = "The proposed change (dchg_…), as `lucid dream changes` lists it." };
        var workspace = WorkspaceOption("The workspace.");
        var command = new Command(name, description) { id, change, workspace };
        command.SetAction((parse, ct) => action(parse.GetValue(id) ?? "", parse.GetValue(change) ?? "", parse.GetValue(workspace) ?? Workspaces.Default, ct));
        return command;
    }
}
