using Spectre.Console;

namespace Lucid.Cli.Tests;

/// <summary>Runs the <c>lucid</c> command line in-process against a temporary data directory, capturing what it prints.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness() => Home = Directory.CreateTempSubdirectory("lucid-cli-").FullName;

    public string Home { get; }

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal) { ["LUCID_HOME"] = Home };
        var exitCode = await LucidCli.RunAsync(args, new CliContext { Console = console, Environment = environment });
        return (exitCode, output.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Home, recursive: true);
    }
}
