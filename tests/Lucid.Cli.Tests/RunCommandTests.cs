using System.Diagnostics;
using Lucid.Testing.Providers;

namespace Lucid.Cli.Tests;

public sealed class RunCommandTests : IAsyncLifetime, IDisposable
{
    private readonly FakeOpenAIServer _openai = new();
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync()
    {
        await _openai.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = "sk-local";
        _cli.Environment["OPENAI_BASE_URL"] = _openai.ApiBaseUrl;
    }

    public async Task DisposeAsync() => await _openai.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_against_an_openai_compatible_server_prints_the_conversation_and_exits_0()
    {
        _openai.ReplyToolCall("bash", new { command = "echo hello from bash" }).ReplyText("The command printed a greeting.");

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--allow-tools", "bash", "say hello with bash");

        Assert.True(exitCode == 0, output);
        Assert.Contains("you say hello with bash", output, StringComparison.Ordinal);
        Assert.Contains("▸ bash echo hello from bash", output, StringComparison.Ordinal);
        Assert.Contains("│ hello from bash", output, StringComparison.Ordinal);
        Assert.Contains("agent The command printed a greeting.", output, StringComparison.Ordinal);
        Assert.Contains("tokens: 24 in, 14 out", output, StringComparison.Ordinal);
        Assert.Equal(2, _openai.Requests.Count);
    }

    [Fact]
    public async Task Run_writes_the_agents_message_as_the_model_streams_it_and_only_once()
    {
        // The model holds after its first word until that word is on the screen: it is, only if run renders deltas.
        _openai.ReplyTextHeld("The notes say to deploy on Tuesdays.", () => _cli.PrintedAsync("agent The ").WaitAsync(TimeSpan.FromSeconds(30)));

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "when do we deploy?");

        Assert.True(exitCode == 0, output);
        Assert.Single(output.Split('\n'), l => l.Contains("Tuesdays", StringComparison.Ordinal));
        Assert.Contains("\nagent The notes say to deploy on Tuesdays.\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_runs_bash_in_the_sandbox_where_the_directory_is_workspace()
    {
        _openai.ReplyToolCall("bash", new { command = "pwd; echo sandboxed > made.txt" }).ReplyText("Done.");
        var directory = Path.Combine(_cli.Home, "project");

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--allow-tools", "bash", "--directory", directory, "where am I");

        Assert.True(exitCode == 0, output);
        Assert.Contains("│ /workspace", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no sandbox", output, StringComparison.Ordinal);
        Assert.Equal("sandboxed\n", await File.ReadAllTextAsync(Path.Combine(directory, "made.txt")));
    }

    [Fact]
    public async Task Run_without_bubblewrap_warns_once_and_runs_bash_on_this_machine()
    {
        _openai.ReplyToolCall("bash", new { command = "pwd" }).ReplyText("Done.");
        var directory = Path.Combine(_cli.Home, "project");
        Directory.CreateDirectory(directory);

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--allow-tools", "bash", "--directory", directory, "--sandbox-bwrap", "/nonexistent/bwrap", "where am I");

        Assert.True(exitCode == 0, output);
        Assert.Single(output.Split('\n'), l => l.StartsWith("warning: no sandbox (/nonexistent/bwrap could not be started", StringComparison.Ordinal));
        Assert.Contains($"│ {directory}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_without_a_key_says_what_to_set_and_exits_non_zero()
    {
        _cli.Environment.Remove("OPENAI_API_KEY");

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "hello");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("OPENAI_API_KEY is not set", output, StringComparison.Ordinal);
        Assert.Empty(_openai.Requests);
    }

    [Fact]
    public async Task A_tool_that_needs_confirmation_is_denied_when_no_one_can_answer()
    {
        _openai.ReplyToolCall("write", new { file_path = "x.txt", content = "x" }).ReplyText("I was not allowed to write.");
        var workspace = Path.Combine(_cli.Home, "work");

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--directory", workspace, "write x.txt");

        Assert.Equal(0, exitCode);
        Assert.Contains("(ask)", output, StringComparison.Ordinal);
        Assert.Contains("--allow-tools write", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(workspace, "x.txt")));
        Assert.Contains("--allow-tools write", _openai.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_failure_is_shown_and_the_exit_code_is_1()
    {
        for (var i = 0; i < 6; i++)
        {
            _openai.Error(400, "invalid_request_error", "model 'test' does not exist");
        }

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "hello");

        Assert.Equal(1, exitCode);
        Assert.Contains("error model_request_failed_error", output, StringComparison.Ordinal);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_an_outcome_shows_each_verdict_and_fix_list_and_exits_0_when_satisfied()
    {
        var rubric = Path.Combine(_cli.Home, "rubric.md");
        await File.WriteAllTextAsync(rubric, "- poem.txt exists\n- it has a title");
        _openai
            .ReplyText("I wrote the poem in my head.")
            .ReplyText(Verdict("needs_revision", "There is no file.", "poem.txt exists", "Write the poem into poem.txt."))
            .ReplyToolCall("write", new { file_path = "poem.txt", content = "Sea\nwaves" })
            .ReplyText("Now it is in poem.txt.")
            .ReplyText(Verdict("satisfied", "Both criteria are met.", "it has a title", ""));

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--allow-tools", "write", "--outcome", rubric, "--max-iterations", "2", "--check-file", "poem.txt", "write a poem");

        Assert.True(exitCode == 0, output);
        Assert.Contains("you (outcome, up to 2 evaluations) write a poem", output, StringComparison.Ordinal);
        Assert.Contains("◆ grading against the rubric, evaluation 1", output, StringComparison.Ordinal);
        Assert.Contains("↻ needs revision There is no file.", output, StringComparison.Ordinal);
        Assert.Contains("✗ check: poem.txt exists", output, StringComparison.Ordinal);
        Assert.Contains("- poem.txt exists: Write the poem into poem.txt.", output, StringComparison.Ordinal);
        Assert.Contains("◆ grading against the rubric, evaluation 2", output, StringComparison.Ordinal);
        Assert.Contains("✓ satisfied Both criteria are met.", output, StringComparison.Ordinal);
        Assert.Contains("✓ check: poem.txt exists", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_an_outcome_that_is_never_satisfied_exits_1()
    {
        var rubric = Path.Combine(_cli.Home, "rubric.md");
        await File.WriteAllTextAsync(rubric, "- it rhymes");
        _openai
            .ReplyText("A poem.")
            .ReplyText(Verdict("needs_revision", "It does not rhyme.", "it rhymes", "Make it rhyme."))
            .ReplyText("Acknowledged.");

        var (exitCode, output) = await _cli.RunAsync("run", "--model", "openai/test", "--outcome", rubric, "--max-iterations", "1", "write a poem");

        Assert.Equal(1, exitCode);
        Assert.Contains("max iterations reached", output, StringComparison.Ordinal);
        Assert.Contains("agent Acknowledged.", output, StringComparison.Ordinal);
    }

    private static string Verdict(string verdict, string explanation, string criterion, string fix) =>
        System.Text.Json.JsonSerializer.Serialize(new { findings = new[] { new { criterion, evidence = "seen", met = verdict == "satisfied", fix } }, explanation, verdict });

    [Fact]
    public async Task Prices_from_config_json_reach_the_running_engine_and_sessions_show_prints_the_cost()
    {
        // Two requests of 12 prompt and 7 completion tokens at $10,000 and $20,000 per million: $0.26 each.
        File.WriteAllText(Path.Combine(_cli.Home, "config.json"), """{"models": {"openai/test": {"input_usd_per_mtok": 10000, "output_usd_per_mtok": 20000}}}""");
        _openai.ReplyToolCall("glob", new { pattern = "*" }).ReplyText("Nothing here.");
        var (runExit, run) = await _cli.RunAsync("run", "--model", "openai/test", "look around");
        Assert.True(runExit == 0, run);

        var (_, list) = await _cli.RunAsync("sessions", "list");
        var id = list.Split(' ', '│', '\n').First(w => w.StartsWith("sesn_", StringComparison.Ordinal));
        var (showExit, show) = await _cli.RunAsync("sessions", "show", id);

        Assert.Equal(0, showExit);
        Assert.Contains("session so far: 24 in, 14 out, $0.52 at list prices", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_list_and_show_render_the_stored_session()
    {
        _openai.ReplyToolCall("read", new { file_path = "missing.txt" }).ReplyText("The file is missing.");
        await _cli.RunAsync("run", "--model", "openai/test", "read missing.txt");

        var (listExit, list) = await _cli.RunAsync("sessions", "list");
        var id = list.Split(' ', '│', '\n').First(w => w.StartsWith("sesn_", StringComparison.Ordinal));
        var (showExit, show) = await _cli.RunAsync("sessions", "show", id);
        var (missingExit, missing) = await _cli.RunAsync("sessions", "show", "sesn_nope");

        Assert.Equal(0, listExit);
        Assert.Contains("read missing.txt", list, StringComparison.Ordinal);
        Assert.Contains("idle", list, StringComparison.Ordinal);
        Assert.Equal(0, showExit);
        Assert.Contains("lucid-run v1 · openai/test", show, StringComparison.Ordinal);
        Assert.Contains("▸ read missing.txt", show, StringComparison.Ordinal);
        Assert.Contains("does not exist", show, StringComparison.Ordinal);
        Assert.Contains("agent The file is missing.", show, StringComparison.Ordinal);
        Assert.Contains("idle (end_turn)", show, StringComparison.Ordinal);
        Assert.Equal(1, missingExit);
        Assert.Contains("no session 'sesn_nope'", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lucid_executable_runs_a_task_end_to_end_and_exits_0()
    {
        _openai.ReplyText("Hello from the fake model.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "run", "--model", "openai/test", "hi" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = _cli.Home;
        start.Environment["OPENAI_API_KEY"] = "sk-local";
        start.Environment["OPENAI_BASE_URL"] = _openai.ApiBaseUrl;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("lucid did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Hello from the fake model.", output, StringComparison.Ordinal);
    }
}
