using Lucid.Outcomes;

namespace Lucid.Core.Tests.Outcomes;

public sealed class DirectorySnapshotTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string content) => File.WriteAllText(Path.Combine(_root, path), content);

    [Fact]
    public void A_baseline_past_its_file_cap_records_the_first_paths_and_tells_only_their_changes()
    {
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt" })
        {
            Write(name, name);
        }

        var baseline = DirectorySnapshot.Baseline(_root, maxFiles: 3);
        Write("a.txt", "changed");
        Write("b2.txt", "new, before the last recorded path");
        File.Delete(Path.Combine(_root, "c.txt"));
        Write("e.txt", "changed, past the last recorded path");
        Write("z.txt", "new, past the last recorded path");

        Assert.Equal(["a.txt", "b.txt", "c.txt"], baseline.Files.Select(f => f.Path));
        Assert.Equal((6, false), (baseline.FileCount, baseline.IsComplete));
        Assert.Equal([("a.txt", "modified"), ("b2.txt", "added"), ("c.txt", "deleted")], baseline.ChangesIn(_root));
        Assert.Equal(
            "The directory held 6 files when the outcome began, more than Lucid records; only changes to the first 3 paths in ordinal order (up to 'c.txt') are listed.",
            baseline.CoverageNote);
    }

    [Fact]
    public void A_baseline_stops_before_the_path_that_would_pass_its_path_character_cap()
    {
        Write("a.txt", "a");
        Write("b.txt", "b");
        Write("c.txt", "c");

        var capped = DirectorySnapshot.Baseline(_root, maxPathChars: 14);
        var whole = DirectorySnapshot.Baseline(_root);

        Assert.Equal(["a.txt", "b.txt"], capped.Files.Select(f => f.Path));
        Assert.Equal(3, capped.FileCount);
        Assert.True(whole.IsComplete);
        Assert.Null(whole.CoverageNote);
        Assert.Equal((1L, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a"u8))), (whole.Files[0].Size, whole.Files[0].Sha256));
    }
}
