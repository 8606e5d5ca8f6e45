using Spectre.Console;

namespace Lucid.Cli;

/// <summary>What a command runs against: the console, the environment variables and the data directory.</summary>
internal sealed class CliContext
{
    public required IAnsiConsole Console { get; init; }

    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    public LucidHome Home => LucidHome.From(Environment);

    /// <summary>The PostgreSQL database to use instead of the data directory's SQLite file (<c>LUCID_DATABASE</c>, an Npgsql connection string), or null.</summary>
    public string? Database => Environment.TryGetValue("LUCID_DATABASE", out var database) && !string.IsNullOrWhiteSpace(database) ? database : null;

    /// <summary>The local user as the author of changes and decisions: <c>user_</c> and <c>$USER</c> (or the OS account).</summary>
    public string LocalUser => "user_" + (Environment.TryGetValue("USER", out var name) && !string.IsNullOrEmpty(name) ? name : System.Environment.UserName);

    /// <summary>Whether a person is at the keyboard to answer prompts.</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    public static CliContext FromProcess() => new()
    {
        Console = AnsiConsole.Console,
        Environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
    };
}
