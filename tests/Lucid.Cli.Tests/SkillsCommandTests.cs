using System.Text.RegularExpressions;
using Lucid.Storage.Sqlite;

namespace Lucid.Cli.Tests;

public sealed partial class SkillsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("lucid-skill-").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Folder(string description)
    {
        var skill = Path.Combine(_folder, "csv-tools");
        Directory.CreateDirectory(Path.Combine(skill, "scripts"));
        File.WriteAllText(Path.Combine(skill, "SKILL.md"), $"---\nname: csv-tools\ndescription: {description}\n---\nClean the CSV with scripts/clean.py.\n");
        File.WriteAllText(Path.Combine(skill, "scripts", "clean.py"), "print('clean')\n");
        return skill;
    }

    [Fact]
    public async Task A_folder_is_uploaded_versioned_listed_and_deleted()
    {
        var (exit, output) = await _cli.RunAsync("skills", "upload", Folder("Cleans CSV files."), "--display-name", "CSV tools");
        Assert.Equal(0, exit);
        var id = SkillId().Match(output).Value;

        (exit, output) = await _cli.RunAsync("skills", "upload", Folder("Cleans and sorts CSV files."), "--skill", id);
        Assert.Equal(0, exit);
        var second = VersionId().Match(output).Value;

        var (_, list) = await _cli.RunAsync("skills", "list");
        Assert.Contains("CSV tools", list, StringComparison.Ordinal);
        Assert.Contains(second, list, StringComparison.Ordinal);
        var (_, versions) = await _cli.RunAsync("skills", "versions", id);
        Assert.Contains("Cleans and sorts CSV files.", versions, StringComparison.Ordinal);
        Assert.True(versions.IndexOf(second, StringComparison.Ordinal) < versions.IndexOf("Cleans CSV files.", StringComparison.Ordinal), versions);

        (exit, _) = await _cli.RunAsync("skills", "delete", id);
        Assert.Equal(0, exit);
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        Assert.Null(await store.GetSkillAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_folder_with_a_link_or_without_front_matter_is_refused_and_nothing_is_stored()
    {
        var folder = Folder("Cleans CSV files.");
        File.CreateSymbolicLink(Path.Combine(folder, "passwd"), "/etc/passwd");
        var (exit, output) = await _cli.RunAsync("skills", "upload", folder);
        Assert.Equal(1, exit);
        Assert.Contains("passwd is a symbolic link", output, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "passwd"));
        File.WriteAllText(Path.Combine(folder, "SKILL.md"), "Just instructions.");
        (exit, output) = await _cli.RunAsync("skills", "upload", folder);
        Assert.Equal(1, exit);
        Assert.Contains("front matter", output, StringComparison.Ordinal);

        var (_, list) = await _cli.RunAsync("skills", "list");
        Assert.Contains("No skills", list, StringComparison.Ordinal);
    }

    [GeneratedRegex("skill_[A-Za-z0-9]+")]
    private static partial Regex SkillId();

    [GeneratedRegex("skver_[A-Za-z0-9]+")]
    private static partial Regex VersionId();
}
