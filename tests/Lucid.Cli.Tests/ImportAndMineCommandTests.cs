using System.Text.Json;
using Lucid.Testing.Data;

namespace Lucid.Cli.Tests;

public sealed class ImportAndMineCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _file;

    public ImportAndMineCommandTests()
    {
        _file = Path.Combine(_cli.Home, "tau-bench-trials-0-1.json");
        File.WriteAllBytes(_file, TauBenchData.Trials(0, 1));
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Import_then_dream_mine_prints_failing_tools_and_rates_by_verdict_with_counts()
    {
        var (code, output) = await _cli.RunAsync("import", "tau-bench", _file);
        Assert.Equal(0, code);
        Assert.Contains("Imported 100 of 100 records", output, StringComparison.Ordinal);

        var (again, second) = await _cli.RunAsync("import", "tau-bench", _file);
        Assert.Equal(0, again);
        Assert.Contains("Imported 0 of 100 records", second, StringComparison.Ordinal);
        Assert.Contains("skipped 100", second, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "mine", "--since", "7d");
        Assert.Equal(0, code);
        Assert.Contains("Mined 100 sessions", output, StringComparison.Ordinal);
        Assert.Contains("43 satisfied", output, StringComparison.Ordinal);
        Assert.Matches(@"update_reservation_flights\s*│\s*56\s*│\s*23\s*│", output);
        Assert.Matches(@"book_reservation\s*│\s*20\s*│\s*10\s*│", output);
        Assert.Matches(@"satisfied\s*│\s*43\s*│\s*169\s*│\s*5\s*│", output);
        Assert.Matches(@"failed\s*│\s*57\s*│\s*403\s*│\s*28\s*│", output);
        Assert.Contains("~payment_methods in 5 of 6 sessions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dream_mine_json_names_sessions_and_needs_a_selection()
    {
        await _cli.RunAsync("import", "tau-bench", _file, "--json");
        var (code, output) = await _cli.RunAsync("dream", "mine", "--since", "1d", "--json");
        Assert.Equal(0, code);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(100, report.RootElement.GetProperty("session_ids").GetArrayLength());
        Assert.Equal(43, report.RootElement.GetProperty("passing_sessions").GetInt32());
        var first = report.RootElement.GetProperty("session_ids")[0].GetString()!;

        (code, output) = await _cli.RunAsync("dream", "mine", "--sessions", first, "--json");
        Assert.Equal(0, code);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("session_ids").GetArrayLength());

        (code, output) = await _cli.RunAsync("dream", "mine");
        Assert.Equal(2, code);
        Assert.Contains("--since", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dream_mine_splits_by_task_and_counts_the_tasks_behind_each_pattern()
    {
        await _cli.RunAsync("import", "tau-bench", _file, "--json");

        var (code, output) = await _cli.RunAsync("dream", "mine", "--tasks", "0", "1", "2", "--json");
        Assert.Equal(0, code);
        using (var train = JsonDocument.Parse(output))
        {
            Assert.Equal(6, train.RootElement.GetProperty("session_ids").GetArrayLength());
            Assert.Equal((3, 6), (train.RootElement.GetProperty("tasks").GetInt32(), train.RootElement.GetProperty("sessions_with_task").GetInt32()));
        }

        (code, output) = await _cli.RunAsync("dream", "mine", "--exclude-tasks", "0", "1", "2", "--json");
        Assert.Equal(0, code);
        using (var test = JsonDocument.Parse(output))
        {
            Assert.Equal(94, test.RootElement.GetProperty("session_ids").GetArrayLength());
            Assert.Equal(47, test.RootElement.GetProperty("tasks").GetInt32());
            Assert.All(test.RootElement.GetProperty("recurring_errors").EnumerateArray(), e => Assert.InRange(e.GetProperty("tasks").GetInt32(), 1, e.GetProperty("sessions").GetInt32()));
        }

        (code, output) = await _cli.RunAsync("dream", "mine", "--since", "1d");
        Assert.Equal(0, code);
        Assert.Contains("100 of them named their task: 50 distinct tasks.", output, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "mine", "--tasks", "no-such-task");
        Assert.Equal(0, code);
        Assert.Contains("No sessions to mine", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_file_with_malformed_records_exits_1_and_names_them()
    {
        var jsonl = Path.Combine(_cli.Home, "chats.jsonl");
        File.WriteAllLines(jsonl, ["""{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""", "{oops"]);

        var (code, output) = await _cli.RunAsync("import", "openai-chat", jsonl);

        Assert.Equal(1, code);
        Assert.Contains("Imported 1 of 2 records", output, StringComparison.Ordinal);
        Assert.Contains("line 2", output, StringComparison.Ordinal);
    }
}
