using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Memory;

public sealed class MemoryHistoryTests : IAsyncLifetime
{
    private const string Ws = Workspaces.Default;
    private static readonly MemoryActor Ana = MemoryActor.User("user_ana");
    private static readonly MemoryActor Bo = MemoryActor.User("user_bo");

    private readonly RacingMemoryStorage _storage;
    private readonly MemoryService _memory;
    private string _store = "";

    public MemoryHistoryTests()
    {
        _storage = new RacingMemoryStorage(new InMemoryStore());
        _memory = new MemoryService(_storage);
    }

    public async Task InitializeAsync() => _store = Ok(await _memory.CreateStoreAsync(Ws, "Team notes", null, null, None)).Id;

    public Task DisposeAsync() => Task.CompletedTask;

    private static CancellationToken None => CancellationToken.None;

    private MemoryHistory History => _memory.History;

    private static T Ok<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new Xunit.Sdk.XunitException($"Expected success, got {result.Error}");

    private async Task<MemoryDocument> WriteAsync(string path, string content) => Ok(await _memory.WriteAtPathAsync(Ws, _store, path, content, null, Ana, None));

    private async Task<Dictionary<string, string>> ContentsAsync() =>
        Ok(await _memory.ReadAllAsync(Ws, _store, "/", includeContent: true, None)).ToDictionary(m => m.Path, m => m.Content ?? "", StringComparer.Ordinal);

    private async Task<List<MemoryVersion>> VersionsOfAsync(string memoryId) =>
        [.. Ok(await _memory.ListVersionsAsync(Ws, _store, new MemoryVersionQuery { MemoryId = memoryId }, new PageRequest(100), None)).Items];

    [Fact]
    public async Task RevertMemory_of_a_modified_memory_puts_its_content_and_path_back_as_a_new_version()
    {
        var created = await WriteAsync("/a.md", "first\n");
        Ok(await _memory.UpdateMemoryAsync(Ws, _store, created.Id, "second\n", "/b.md", null, Ana, None));

        var revert = Ok(await History.RevertMemoryAsync(Ws, _store, created.VersionId, null, Bo, None));

        Assert.False(revert.Recreated);
        Assert.Equal(created.VersionId, revert.Target?.Id);
        Assert.Equal((created.Id, "/a.md", "first\n"), (revert.Memory?.Id, revert.Memory?.Path, revert.Memory?.Content));
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "first\n" }, await ContentsAsync());
        var versions = await VersionsOfAsync(created.Id);
        Assert.Equal(3, versions.Count);
        Assert.Equal((MemoryOperation.Modified, Bo, revert.Memory?.VersionId), (versions[0].Operation, versions[0].CreatedBy, versions[0].Id));
    }

    [Fact]
    public async Task RevertMemory_of_a_deleted_memory_creates_it_again_under_a_new_id_and_the_old_id_keeps_its_history()
    {
        var created = await WriteAsync("/a.md", "first\n");
        Ok(await _memory.DeleteMemoryAsync(Ws, _store, created.Id, null, Ana, None));

        var revert = Ok(await History.RevertMemoryAsync(Ws, _store, created.VersionId, null, Bo, None));

        Assert.True(revert.Recreated);
        Assert.Equal(created.Id, revert.MemoryId);
        Assert.NotEqual(created.Id, revert.Memory?.Id);
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "first\n" }, await ContentsAsync());
        Assert.Equal([MemoryOperation.Deleted, MemoryOperation.Created], (await VersionsOfAsync(created.Id)).Select(v => v.Operation));
        Assert.Equal([(MemoryOperation.Created, Bo)], (await VersionsOfAsync(revert.Memory?.Id ?? "")).Select(v => (v.Operation, v.CreatedBy)));
    }

    [Fact]
    public async Task RevertMemory_with_a_stale_precondition_is_refused_and_changes_nothing()
    {
        var created = await WriteAsync("/a.md", "first\n");
        var seen = await WriteAsync("/a.md", "second\n");
        await WriteAsync("/a.md", "changed meanwhile\n");

        var stale = await History.RevertMemoryAsync(Ws, _store, created.VersionId, seen.ContentSha256, Bo, None);

        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error?.Kind);
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "changed meanwhile\n" }, await ContentsAsync());
        Assert.Equal(3, (await VersionsOfAsync(created.Id)).Count);

        Ok(await _memory.DeleteMemoryAsync(Ws, _store, created.Id, null, Ana, None));
        var deleted = await History.RevertMemoryAsync(Ws, _store, created.VersionId, seen.ContentSha256, Bo, None);
        Assert.Equal(ErrorKind.PreconditionFailed, deleted.Error?.Kind);
        Assert.Empty(await ContentsAsync());
    }

    [Fact]
    public async Task RevertMemory_to_a_deletion_or_a_redacted_version_is_refused()
    {
        var created = await WriteAsync("/a.md", "secret\n");
        await WriteAsync("/a.md", "clean\n");
        Ok(await _memory.DeleteMemoryAsync(Ws, _store, created.Id, null, Ana, None));
        Ok(await _memory.RedactVersionAsync(Ws, _store, created.VersionId, Ana, None));
        var deletion = (await VersionsOfAsync(created.Id))[0].Id;

        var toDeletion = await History.RevertMemoryAsync(Ws, _store, deletion, null, Bo, None);
        var toRedacted = await History.RevertMemoryAsync(Ws, _store, created.VersionId, null, Bo, None);

        Assert.Equal($"version {deletion} has no content to go back to (it records a deletion; revert the version before it).", toDeletion.Error?.Message);
        Assert.Equal($"version {created.VersionId} has no content to go back to (it was redacted).", toRedacted.Error?.Message);
        Assert.Empty(await ContentsAsync());
    }

    [Fact]
    public async Task RevertStore_puts_back_modified_and_deleted_memories_and_deletes_created_ones()
    {
        var a = await WriteAsync("/a.md", "a1\n");
        var b = await WriteAsync("/b.md", "b1\n");
        var target = await WriteAsync("/c.md", "c1\n");
        Ok(await _memory.UpdateMemoryAsync(Ws, _store, a.Id, "a2\n", "/x/a.md", null, Ana, None));
        Ok(await _memory.DeleteMemoryAsync(Ws, _store, b.Id, null, Ana, None));
        var taken = await WriteAsync("/b.md", "another b\n");
        var created = await WriteAsync("/d.md", "d\n");

        var reverts = Ok(await History.RevertStoreAsync(Ws, _store, target.VersionId, null, Bo, None));

        Assert.Equal(
            new Dictionary<string, string> { ["/a.md"] = "a1\n", ["/b.md"] = "b1\n", ["/c.md"] = "c1\n" },
            await ContentsAsync());
        Assert.Equal(a.Id, Ok(await _memory.FindMemoryAsync(Ws, _store, "/a.md", None)).Id);
        var byMemory = reverts.ToDictionary(r => r.MemoryId);
        Assert.Equal(4, byMemory.Count);
        Assert.False(byMemory[a.Id].Recreated);
        Assert.True(byMemory[b.Id].Recreated);
        Assert.Null(byMemory[taken.Id].Memory);
        Assert.Null(byMemory[created.Id].Memory);
        var written = Ok(await _memory.ListVersionsAsync(Ws, _store, new MemoryVersionQuery { ActorKind = MemoryActorKind.User, ActorId = Bo.Id }, new PageRequest(100), None)).Items;
        Assert.Equal(4, written.Count);
    }

    [Fact]
    public async Task RevertStore_with_a_stale_newest_version_is_refused_and_changes_nothing()
    {
        var target = await WriteAsync("/a.md", "a1\n");
        var seen = await WriteAsync("/a.md", "a2\n");
        await WriteAsync("/a.md", "changed meanwhile\n");

        var stale = await History.RevertStoreAsync(Ws, _store, target.VersionId, seen.VersionId, Bo, None);

        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error?.Kind);
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "changed meanwhile\n" }, await ContentsAsync());
    }

    [Fact]
    public async Task RevertStore_refuses_a_memory_that_changes_while_it_runs_and_changes_nothing()
    {
        var target = await WriteAsync("/a.md", "a1\n");
        await WriteAsync("/a.md", "a2\n");
        await WriteAsync("/b.md", "b\n");
        _storage.BeforeNextWrite = async () => await WriteAsync("/a.md", "raced\n");

        var raced = await History.RevertStoreAsync(Ws, _store, target.VersionId, null, Bo, None);

        Assert.Equal(ErrorKind.PreconditionFailed, raced.Error?.Kind);
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "raced\n", ["/b.md"] = "b\n" }, await ContentsAsync());
    }

    [Fact]
    public async Task RevertStore_to_a_point_whose_content_was_redacted_is_refused()
    {
        var a = await WriteAsync("/a.md", "secret\n");
        var target = await WriteAsync("/b.md", "b\n");
        await WriteAsync("/a.md", "clean\n");
        Ok(await _memory.RedactVersionAsync(Ws, _store, a.VersionId, Ana, None));

        var refused = await History.RevertStoreAsync(Ws, _store, target.VersionId, null, Bo, None);

        Assert.Equal($"version {a.VersionId} has no content to go back to (it was redacted).", refused.Error?.Message);
        Assert.Equal(new Dictionary<string, string> { ["/a.md"] = "clean\n", ["/b.md"] = "b\n" }, await ContentsAsync());
    }

    [Fact]
    public async Task Log_by_path_follows_the_memory_at_the_path_or_else_the_one_that_last_was_there()
    {
        var moved = await WriteAsync("/a.md", "first\n");
        Ok(await _memory.UpdateMemoryAsync(Ws, _store, moved.Id, null, "/b.md", null, Ana, None));

        var gone = Ok(await History.LogAsync(Ws, _store, "/a.md", new PageRequest(10), None));
        Assert.Equal([moved.Id, moved.Id], gone.Items.Select(v => v.MemoryId));
        Assert.All(gone.Items, v => Assert.Null(v.Content));

        var now = await WriteAsync("/a.md", "someone else\n");
        Assert.Equal([now.Id], Ok(await History.LogAsync(Ws, _store, "/a.md", new PageRequest(10), None)).Items.Select(v => v.MemoryId));
        Assert.Equal(3, Ok(await History.LogAsync(Ws, _store, null, new PageRequest(10), None)).Items.Count);

        var never = await History.LogAsync(Ws, _store, "/never.md", new PageRequest(10), None);
        Assert.Equal((ErrorKind.NotFound, "no memory is or was at /never.md."), (never.Error?.Kind, never.Error?.Message));
    }

    [Fact]
    public async Task Diff_compares_a_version_with_the_one_before_or_another_and_names_a_rename()
    {
        var first = await WriteAsync("/a.md", "first\n");
        var second = Ok(await _memory.UpdateMemoryAsync(Ws, _store, first.Id, "second\n", "/b.md", null, Ana, None));
        var third = await WriteAsync("/b.md", "third\n");

        var renamed = Ok(await History.DiffAsync(Ws, _store, second.VersionId, null, None));
        Assert.Equal(first.VersionId, renamed.Before?.Id);
        Assert.Equal(("/a.md", "/b.md"), renamed.Rename);
        Assert.Contains($"--- /a.md @ {first.VersionId}", renamed.Unified, StringComparison.Ordinal);
        Assert.Contains($"+++ /b.md @ {second.VersionId}", renamed.Unified, StringComparison.Ordinal);
        Assert.Contains("-first", renamed.Unified, StringComparison.Ordinal);
        Assert.Contains("+second", renamed.Unified, StringComparison.Ordinal);

        var creation = Ok(await History.DiffAsync(Ws, _store, first.VersionId, null, None));
        Assert.Null(creation.Before);
        Assert.Null(creation.Rename);
        Assert.StartsWith("--- /dev/null", creation.Unified, StringComparison.Ordinal);

        var across = Ok(await History.DiffAsync(Ws, _store, third.VersionId, first.VersionId, None));
        Assert.Contains("-first", across.Unified, StringComparison.Ordinal);
        Assert.Contains("+third", across.Unified, StringComparison.Ordinal);
        Assert.Equal("", Ok(await History.DiffAsync(Ws, _store, third.VersionId, third.VersionId, None)).Unified);
    }

    [Fact]
    public async Task Content_is_what_a_version_held_and_a_deletion_or_a_redacted_version_has_none()
    {
        var first = await WriteAsync("/a.md", "first\n");
        var second = await WriteAsync("/a.md", "second\n");
        Ok(await _memory.DeleteMemoryAsync(Ws, _store, first.Id, null, Ana, None));
        Ok(await _memory.RedactVersionAsync(Ws, _store, first.VersionId, Ana, None));
        var deletion = (await VersionsOfAsync(first.Id))[0].Id;

        Assert.Equal("second\n", Ok(await History.ContentAsync(Ws, _store, second.VersionId, None)));
        Assert.Equal($"version {deletion} has no content (it records a deletion).", (await History.ContentAsync(Ws, _store, deletion, None)).Error?.Message);
        Assert.Equal($"version {first.VersionId} has no content (it was redacted).", (await History.ContentAsync(Ws, _store, first.VersionId, None)).Error?.Message);
    }
}
