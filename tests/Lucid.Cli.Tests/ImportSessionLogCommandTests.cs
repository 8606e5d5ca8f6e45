using System.Text.Json;
using Lucid.Testing.Data;

namespace Lucid.Cli.Tests;

public sealed class ImportSessionLogCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Importing_a_claude_code_project_folder_imports_each_session_once_and_counts_the_lines_it_ignored()
    {
        var (code, output) = await _cli.RunAsync("import", "claude-code", SessionLogData.ClaudeCodeProject);
        Assert.Equal(0, code);
        Assert.Contains("Imported 2 of 2 sessions from -home-dev-shop (claude-code)", output, StringComparison.Ordinal);
        Assert.Contains("66 events", output, StringComparison.Ordinal);
        Assert.Contains("Ignored 4 lines Lucid does not import: file-history-snapshot 1, system/compact_boundary 1", output, StringComparison.Ordinal);

        var (again, second) = await _cli.RunAsync("import", "claude-code", SessionLogData.ClaudeCodeProject, "--json");
        Assert.Equal(0, again);
        using var report = JsonDocument.Parse(second);
        Assert.Equal(0, report.RootElement.GetProperty("imported").GetArrayLength());
        Assert.Equal(
            [SessionLogData.ClaudeCodeSession + ".jsonl line 2", SessionLogData.ClaudeCodeOlderSession + ".jsonl line 1"],
            report.RootElement.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("position").GetString()));
    }

    [Fact]
    public async Task Importing_a_codex_rollout_with_a_bad_line_exits_1_naming_it_and_a_folder_without_rollouts_exits_2()
    {
        var rollout = Path.Combine(_cli.Home, "rollout-2026-11-30T09-15-00-broken.jsonl");
        File.WriteAllLines(rollout, [.. File.ReadAllLines(SessionLogData.CodexRollout), "{\"timestamp\": "]);

        var (code, output) = await _cli.RunAsync("import", "codex", rollout);
        var (empty, message) = await _cli.RunAsync("import", "codex", Directory.CreateTempSubdirectory("lucid-empty-").FullName);

        Assert.Equal(1, code);
        Assert.Contains("Imported 1 of 1 sessions", output, StringComparison.Ordinal);
        Assert.Contains("line 26", output, StringComparison.Ordinal);
        Assert.Equal(2, empty);
        Assert.Contains("no rollout-*.jsonl files under", message, StringComparison.Ordinal);
    }
}
