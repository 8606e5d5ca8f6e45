using System.Text.Json;
using Lucid.Testing.Sandboxing;
using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class BuiltInToolTests : IDisposable
{
    private readonly string _root;
    private readonly string _outside;
    private readonly ToolContext _context;

    public BuiltInToolTests()
    {
        var parent = Directory.CreateTempSubdirectory("lucid-tools-").FullName;
        _root = Path.Combine(parent, "workspace");
        _outside = Path.Combine(parent, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "top secret");
        _context = new ToolContext { Directory = new WorkDirectory(_root), Limits = new ToolLimits { MaxOutputChars = 2_000 } };
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private Task<ToolResult> RunAsync(string tool, object input, CancellationToken cancellationToken = default) =>
        (BuiltInTools.Find(tool) ?? throw new ArgumentException(tool)).InvokeAsync(JsonSerializer.SerializeToElement(input), _context, cancellationToken);

    public static TheoryData<string, object> EscapeAttempts() => new()
    {
        { "read", new { file_path = "../outside/secret.txt" } },
        { "read", new { file_path = "a/../../outside/secret.txt" } },
        { "read", new { file_path = "/etc/passwd" } },
        { "read", new { file_path = "link-file" } },
        { "read", new { file_path = "link-dir/secret.txt" } },
        { "write", new { file_path = "../outside/new.txt", content = "x" } },
        { "write", new { file_path = "/tmp/lucid-escape.txt", content = "x" } },
        { "write", new { file_path = "link-dir/new.txt", content = "x" } },
        { "write", new { file_path = "link-file", content = "overwritten" } },
        { "edit", new { file_path = "link-file", old_string = "top", new_string = "no" } },
        { "edit", new { file_path = "../outside/secret.txt", old_string = "top", new_string = "no" } },
        { "glob", new { pattern = "*", path = "../outside" } },
        { "glob", new { pattern = "*", path = "link-dir" } },
        { "grep", new { pattern = "secret", path = "../outside" } },
        { "grep", new { pattern = "secret", path = "link-dir" } },
        { "grep", new { pattern = "secret", path = "/etc" } },
    };

    [Theory]
    [MemberData(nameof(EscapeAttempts))]
    public async Task Paths_leaving_the_workspace_are_refused_and_nothing_happens(string tool, object input)
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link-file"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "link-dir"), _outside);

        var result = await RunAsync(tool, input);

        Assert.True(result.IsError, result.Content);
        Assert.Contains("outside the session's directory", result.Content, StringComparison.Ordinal);
        Assert.Equal("top secret", await File.ReadAllTextAsync(Path.Combine(_outside, "secret.txt")));
        Assert.Equal(["secret.txt"], Directory.GetFiles(_outside).Select(Path.GetFileName));
        Assert.False(File.Exists("/tmp/lucid-escape.txt"));
    }

    [Fact]
    public async Task Glob_and_grep_over_the_workspace_skip_what_a_symlinked_directory_leads_to()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "link-dir"), _outside);
        await File.WriteAllTextAsync(Path.Combine(_root, "inside.txt"), "a secret inside");

        var glob = await RunAsync("glob", new { pattern = "**/*.txt" });
        var grep = await RunAsync("grep", new { pattern = "secret" });

        Assert.Equal("inside.txt", glob.Content);
        Assert.Equal("inside.txt:1:a secret inside\n", grep.Content);
    }

    [Fact]
    public async Task Write_then_read_returns_numbered_lines_and_honours_the_range()
    {
        var write = await RunAsync("write", new { file_path = "docs/notes.md", content = "one\ntwo\nthree\n" });
        var all = await RunAsync("read", new { file_path = "docs/notes.md" });
        var some = await RunAsync("read", new { file_path = Path.Combine(_root, "docs", "notes.md"), view_range = new[] { 2, -1 } });

        Assert.False(write.IsError, write.Content);
        Assert.Contains("14 bytes", write.Content, StringComparison.Ordinal);
        Assert.Equal("     1\tone\n     2\ttwo\n     3\tthree\n", all.Content);
        Assert.Equal("     2\ttwo\n     3\tthree\n", some.Content);
    }

    [Fact]
    public async Task Read_refuses_a_binary_file_and_reports_a_missing_one()
    {
        await File.WriteAllBytesAsync(Path.Combine(_root, "blob.bin"), [1, 0, 2]);

        var binary = await RunAsync("read", new { file_path = "blob.bin" });
        var missing = await RunAsync("read", new { file_path = "nope.txt" });

        Assert.True(binary.IsError);
        Assert.Contains("binary", binary.Content, StringComparison.Ordinal);
        Assert.True(missing.IsError);
        Assert.Contains("does not exist", missing.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_replaces_a_unique_string_and_refuses_an_ambiguous_one_unless_replace_all()
    {
        var file = Path.Combine(_root, "code.txt");
        await File.WriteAllTextAsync(file, "a = 1\nb = 1\nc = 2\n");

        var unique = await RunAsync("edit", new { file_path = "code.txt", old_string = "c = 2", new_string = "c = 3" });
        var ambiguous = await RunAsync("edit", new { file_path = "code.txt", old_string = "= 1", new_string = "= 9" });
        var missing = await RunAsync("edit", new { file_path = "code.txt", old_string = "zzz", new_string = "y" });
        var all = await RunAsync("edit", new { file_path = "code.txt", old_string = "= 1", new_string = "= 9", replace_all = true });

        Assert.False(unique.IsError, unique.Content);
        Assert.True(ambiguous.IsError);
        Assert.Contains("2 times", ambiguous.Content, StringComparison.Ordinal);
        Assert.True(missing.IsError);
        Assert.Contains("Replaced 2", all.Content, StringComparison.Ordinal);
        Assert.Equal("a = 9\nb = 9\nc = 3\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Glob_and_grep_find_files_and_lines()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src", "deep"));
        await File.WriteAllTextAsync(Path.Combine(_root, "src", "a.cs"), "class A { }\n// TODO fix\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "src", "deep", "b.cs"), "class B { } // todo later\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "readme.md"), "TODO docs\n");

        var glob = await RunAsync("glob", new { pattern = "**/*.cs" });
        var grep = await RunAsync("grep", new { pattern = "todo", case_insensitive = true, glob = "**/*.cs" });
        var invalid = await RunAsync("grep", new { pattern = "(" });

        Assert.Equal("src/a.cs\nsrc/deep/b.cs", glob.Content);
        Assert.Equal("src/a.cs:2:// TODO fix\nsrc/deep/b.cs:1:class B { } // todo later\n", grep.Content);
        Assert.True(invalid.IsError);
    }

    [Fact]
    public async Task Bash_runs_in_the_workspace_and_reports_output_and_exit_code()
    {
        var result = await RunAsync("bash", new { command = "pwd; echo made > made.txt; echo oops >&2; exit 3" });

        Assert.False(result.IsError);
        // The sandbox shows the session's directory at /workspace; what bash writes there is in the directory.
        Assert.Contains("/workspace", result.Content.Split('\n'));
        Assert.Equal("made\n", await File.ReadAllTextAsync(Path.Combine(_root, "made.txt")));
        Assert.Contains("oops", result.Content, StringComparison.Ordinal);
        Assert.EndsWith("[exit code: 3]", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_over_its_time_limit_is_killed_and_reported_with_every_process_it_started()
    {
        var marker = HostProcesses.NewSleepMarker();
        // A background child, a grandchild in a shell of its own session, and the foreground sleep.
        var command = $"sleep {marker} & setsid bash -c 'sleep {marker}' & echo started; sleep {marker}";

        var result = await RunAsync("bash", new { command, timeout_ms = 2000 });

        Assert.True(result.IsError);
        Assert.Contains("started", result.Content, StringComparison.Ordinal);
        Assert.Contains("time limit of 2000 ms", result.Content, StringComparison.Ordinal);
        Assert.Empty(await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Bash_cancelled_by_the_caller_kills_the_command()
    {
        var marker = HostProcesses.NewSleepMarker();
        using var cts = new CancellationTokenSource();
        var run = RunAsync("bash", new { command = $"echo started > started; sleep {marker}" }, cts.Token);
        while (!File.Exists(Path.Combine(_root, "started")) || HostProcesses.Matching($"sleep {marker}").Count == 0)
        {
            await Task.Yield();
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Long_output_is_cut_to_the_limit_with_a_note()
    {
        var result = await RunAsync("bash", new { command = "seq 1 100000" });

        Assert.True(result.Content.Length <= 2_100, $"{result.Content.Length} characters");
        Assert.Contains("characters cut", result.Content, StringComparison.Ordinal);
        Assert.StartsWith("1\n2\n", result.Content, StringComparison.Ordinal);
        Assert.EndsWith("100000\n[exit code: 0]", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_mistyped_input_fields_are_tool_errors_naming_the_field()
    {
        var missing = await RunAsync("write", new { file_path = "x.txt" });
        var mistyped = await RunAsync("bash", new { command = 42 });

        Assert.True(missing.IsError);
        Assert.Contains("'content'", missing.Content, StringComparison.Ordinal);
        Assert.True(mistyped.IsError);
        Assert.Contains("'command'", mistyped.Content, StringComparison.Ordinal);
    }
}
