using System.CommandLine;
using Lucid.Cli.Commands;
using Lucid.Cli.Commands.Memory;

namespace Lucid.Cli;

/// <summary>The <c>lucid</c> command line: parses arguments and runs the chosen command.</summary>
internal static class LucidCli
{
    /// <summary>Runs the command line against a context; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliContext context)
    {
        var root = new RootCommand("Lucid: a self-hosted agent platform in which agents get better with use.")
        {
            ServeCommand.Create(context),
            RunCommand.Create(context),
            SessionsCommand.Create(context),
            KeysCommand.Create(context),
            ImportCommand.Create(context),
            DreamCommand.Create(context),
            MemoryCommand.Create(context),
            WebhooksCommand.Create(context),
            LearningCommand.Create(context),
            EvalCommand.Create(context),
            SkillsCommand.Create(context),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = context.Console.Profile.Out.Writer, Error = context.Console.Profile.Out.Writer });
    }
}
