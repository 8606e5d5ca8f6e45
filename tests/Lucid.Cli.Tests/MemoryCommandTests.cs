using System.Text;
using System.Text.RegularExpressions;

namespace Lucid.Cli.Tests;

public sealed partial class MemoryCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public MemoryCommandTests() => _cli.Environment["USER"] = "ana";

    public void Dispose() => _cli.Dispose();

    private async Task<string> Ok(params string[] args)
    {
        var (exitCode, output) = await _cli.RunAsync(args);
        Assert.True(exitCode == 0, $"lucid {string.Join(' ', args)} exited {exitCode}:\n{output}");
        return output;
    }

    private static readonly Dictionary<string, string> Contents = new()
    {
        ["/playbooks/deploy.md"] = "# Deploy\n\nRun migrations first.\n",
        ["/playbooks/db/crlf.md"] = "windows\r\nline endings\r\n",
        ["/empty.md"] = "",
        ["/no-newline.txt"] = "ends without newline",
        ["/unicode/café ☕.md"] = "\uFEFFbom, emoji 😀 and combining e\u0301\n",
    };

    private async Task SeedAsync(string store)
    {
        await Ok("memory", "stores", "create", store, "--description", "What we learned");
        foreach (var (path, content) in Contents)
        {
            await Ok("memory", "write", store, path, "--content", content);
        }
    }

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ".lucid-memory.json")
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes);

    [Fact]
    public async Task Pull_then_push_round_trips_a_store_byte_for_byte()
    {
        await SeedAsync("notes");
        var first = Path.Combine(_cli.Home, "pulled");
        await Ok("memory", "pull", "notes", first);

        var files = Files(first);
        Assert.Equal(Contents.Count, files.Count);
        foreach (var (path, content) in Contents)
        {
            Assert.Equal(new UTF8Encoding(false).GetBytes(content), files[path[1..]]);
        }

        Assert.Contains("Nothing to push", await Ok("memory", "push", first, "notes"), StringComparison.Ordinal);

        // Into another store and back out: the same bytes.
        await Ok("memory", "stores", "create", "copy");
        Assert.Contains($"Pushed {Contents.Count} change(s)", await Ok("memory", "push", first, "copy"), StringComparison.Ordinal);
        var second = Path.Combine(_cli.Home, "copy");
        await Ok("memory", "pull", "copy", second);
        var copied = Files(second);
        Assert.Equal(files.Keys.Order(), copied.Keys.Order());
        Assert.All(files, f => Assert.Equal(f.Value, copied[f.Key]));
        foreach (var (path, content) in Contents)
        {
            Assert.Equal(content, await Ok("memory", "cat", "copy", path));
        }
    }

    [Fact]
    public async Task Push_applies_local_edits_with_a_diff_and_refuses_a_concurrent_change_without_changing_anything()
    {
        await SeedAsync("notes");
        var folder = Path.Combine(_cli.Home, "notes");
        await Ok("memory", "pull", "notes", folder);

        await File.WriteAllTextAsync(Path.Combine(folder, "playbooks", "deploy.md"), "# Deploy\n\nRun migrations first, then smoke-test.\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "new.md"), "a new lesson\n");
        File.Delete(Path.Combine(folder, "empty.md"));
        var dry = await Ok("memory", "push", folder, "notes", "--dry-run");
        Assert.Contains("+Run migrations first, then smoke-test.", dry, StringComparison.Ordinal);
        Assert.Contains("-Run migrations first.", dry, StringComparison.Ordinal);
        Assert.Contains("create /new.md", dry, StringComparison.Ordinal);
        Assert.Contains("delete /empty.md", dry, StringComparison.Ordinal);
        Assert.Contains("not applied", dry, StringComparison.Ordinal);
        Assert.Equal(Contents["/playbooks/deploy.md"], await Ok("memory", "cat", "notes", "/playbooks/deploy.md"));

        // Someone changes the same memory in the store after the pull.
        await Ok("memory", "write", "notes", "/playbooks/deploy.md", "--content", "changed elsewhere\n");
        var (exitCode, output) = await _cli.RunAsync("memory", "push", folder, "notes");

        Assert.Equal(1, exitCode);
        Assert.Contains("/playbooks/deploy.md", output, StringComparison.Ordinal);
        Assert.Contains("has changed", output, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", output, StringComparison.Ordinal);
        Assert.Equal("changed elsewhere\n", await Ok("memory", "cat", "notes", "/playbooks/deploy.md"));
        Assert.NotEqual(0, (await _cli.RunAsync("memory", "cat", "notes", "/new.md")).ExitCode);
        Assert.Equal("", await Ok("memory", "cat", "notes", "/empty.md"));

        // A pull refuses to overwrite the unpushed edits, and --force takes the store's side.
        Assert.Equal(1, (await _cli.RunAsync("memory", "pull", "notes", folder)).ExitCode);
        await Ok("memory", "pull", "notes", folder, "--force");
        Assert.Equal("changed elsewhere\n", await File.ReadAllTextAsync(Path.Combine(folder, "playbooks", "deploy.md")));
    }

    [Fact]
    public async Task Log_diff_revert_redact_rm_and_mv_work_on_the_history()
    {
        await Ok("memory", "stores", "create", "Team Notes");
        await Ok("memory", "write", "team-notes", "/a.md", "--content", "first\n");
        await Ok("memory", "write", "team-notes", "/a.md", "--content", "second\n");
        await Ok("memory", "edit", "team-notes", "/a.md", "--old", "second", "--new", "third");

        var log = await Ok("memory", "log", "team-notes", "/a.md");
        var versions = VersionIds().Matches(log).Select(m => m.Value).ToList();
        Assert.Equal(3, versions.Count);
        Assert.Contains("user user_ana", log, StringComparison.Ordinal);

        var diff = await Ok("memory", "diff", "team-notes", versions[1]);
        Assert.Contains("-first", diff, StringComparison.Ordinal);
        Assert.Contains("+second", diff, StringComparison.Ordinal);

        await Ok("memory", "revert", "team-notes", versions[2]);
        Assert.Equal("first\n", await Ok("memory", "cat", "team-notes", "/a.md"));
        Assert.Equal("second\n", await Ok("memory", "cat", "team-notes", "/a.md", "--version", versions[1]));

        await Ok("memory", "redact", "team-notes", versions[1]);
        var (redactedExit, redacted) = await _cli.RunAsync("memory", "cat", "team-notes", "/a.md", "--version", versions[1]);
        Assert.Equal(1, redactedExit);
        Assert.Contains("redacted", redacted, StringComparison.Ordinal);

        await Ok("memory", "mv", "team-notes", "/a.md", "/b/a.md");
        var listing = await Ok("memory", "ls", "team-notes");
        Assert.Contains("/b/", listing, StringComparison.Ordinal);
        await Ok("memory", "rm", "team-notes", "/b/a.md");
        Assert.Contains("No memories", await Ok("memory", "ls", "team-notes"), StringComparison.Ordinal);
        Assert.Contains("deleted", await Ok("memory", "log", "team-notes", "/b/a.md"), StringComparison.Ordinal);

        var stores = await Ok("memory", "stores");
        Assert.Contains("/mnt/memory/team-notes", stores, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_paths_and_unknown_stores_are_clear_errors()
    {
        await Ok("memory", "stores", "create", "notes");
        var (exitCode, output) = await _cli.RunAsync("memory", "write", "notes", "relative.md", "--content", "x");
        Assert.Equal(1, exitCode);
        Assert.Contains("must start with '/'", output, StringComparison.Ordinal);
        (exitCode, output) = await _cli.RunAsync("memory", "ls", "nope");
        Assert.Equal(1, exitCode);
        Assert.Contains("no memory store 'nope'", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("memver_[A-Za-z0-9]+")]
    private static partial Regex VersionIds();
}
