using Lucid.Cli;

return await LucidCli.RunAsync(args, CliContext.FromProcess());
