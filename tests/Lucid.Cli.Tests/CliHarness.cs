using Spectre.Console;

namespace Lucid.Cli.Tests;

/// <summary>Runs the <c>lucid</c> command line in-process against a temporary data directory, capturing what it prints.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness() => Home = Directory.CreateTempSubdirectory("lucid-cli-").FullName;

    public string Home { get; }

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    private WatchedWriter _output = new();

    /// <summary>Completes when what the running command printed so far contains <paramref name="text"/>.</summary>
    public Task PrintedAsync(string text) => _output.ContainsAsync(text);

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = _output = new WatchedWriter();
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

    // Output that tells a waiting test when it shows a text.
    private sealed class WatchedWriter : StringWriter
    {
        private readonly Lock _lock = new();
        private readonly List<(string Text, TaskCompletionSource Shown)> _waiting = [];

        public Task ContainsAsync(string text)
        {
            lock (_lock)
            {
                if (ToString().Contains(text, StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }

                var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((text, shown));
                return shown.Task;
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, index, count);
                Check();
            }
        }

        private void Check()
        {
            if (_waiting.Count == 0)
            {
                return;
            }

            var output = ToString();
            foreach (var waiting in _waiting.Where(w => output.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiting.Shown.TrySetResult();
                _waiting.Remove(waiting);
            }
        }
    }
}
