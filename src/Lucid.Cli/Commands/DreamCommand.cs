using System.CommandLine;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid dream …</c>: learning from past sessions. <c>lucid dream --store S --sessions …</c> runs a whole dream here,
/// printing each stage; <c>lucid dream show ID</c> prints its report and what it changed; <c>lucid dream cancel ID</c>
/// stops one; <c>lucid dream mine</c> runs only the model-free half (digest and mine) and prints the patterns.
/// </summary>
internal static class DreamCommand
{
    public static Command Create(CliContext context)
    {
        var dream = new Command("dream", "Learn from past sessions: dream over them into cited lessons in a memory store (or only mine them).")
        {
            DreamMineCommand.Create(context), DreamShowCommand.Create(context), DreamCancelCommand.Create(context),
        };
        DreamRunCommand.AddTo(context, dream);
        return dream;
    }

    /// <summary>The <c>--workspace</c> option of the dream commands.</summary>
    internal static Option<string> WorkspaceOption(string description) =>
        new("--workspace", "-w") { Description = description, DefaultValueFactory = _ => Workspaces.Default };

    /// <summary>The dream ID argument of <c>show</c> and <c>cancel</c>.</summary>
    internal static Argument<string> IdArgument() => new("id") { Description = "The dream (drm_…)." };
}
