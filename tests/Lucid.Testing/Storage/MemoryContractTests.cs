using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>
/// The memory-store contract, written once: <see cref="MemoryService"/> over each storage backend must behave the same,
/// since the service's atomic checks rely on the backend's <see cref="IMemoryStorage.WriteMemoriesAsync"/>.
/// </summary>
public abstract class MemoryContractTests
{
    private const string Ws = Workspaces.Default;
    private static readonly MemoryActor Alice = MemoryActor.User("user_alice");

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private async Task<(MemoryService Service, string StoreId)> NewAsync()
    {
        var service = new MemoryService(await CreateStoreAsync());
        var store = await service.CreateStoreAsync(Ws, "Team notes", "What the team learned", null, None);
        return (service, store.Value!.Id);
    }

    private static T Ok<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new Xunit.Sdk.XunitException($"Expected success, got {result.Error}");

    [Fact]
    public async Task Create_update_rename_delete_each_add_one_version_with_the_actor()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/a/notes.md", "one", Alice, None));
        Assert.Equal(MemoryPaths.Sha256("one"), created.ContentSha256);
        Assert.Equal(3, created.ContentSizeBytes);

        var edited = Ok(await memory.UpdateMemoryAsync(Ws, store, created.Id, "two", null, created.ContentSha256, MemoryActor.Session("sesn_x"), None));
        var renamed = Ok(await memory.UpdateMemoryAsync(Ws, store, created.Id, null, "/b/notes.md", null, Alice, None));
        Assert.Equal(created.Id, renamed.Id);
        Assert.Equal("two", renamed.Content);
        Ok(await memory.DeleteMemoryAsync(Ws, store, created.Id, renamed.ContentSha256, Alice, None));

        var versions = Ok(await memory.ListVersionsAsync(Ws, store, new MemoryVersionQuery { MemoryId = created.Id }, new PageRequest(100), None)).Items;
        Assert.Equal([MemoryOperation.Deleted, MemoryOperation.Modified, MemoryOperation.Modified, MemoryOperation.Created], versions.Select(v => v.Operation));
        Assert.Equal(["/b/notes.md", "/b/notes.md", "/a/notes.md", "/a/notes.md"], versions.Select(v => v.Path));
        Assert.Equal([null, "two", "two", "one"], versions.Select(v => v.Content));
        Assert.Equal(MemoryActor.Session("sesn_x"), versions[2].CreatedBy);
        Assert.Equal(edited.VersionId, versions[2].Id);
        Assert.Equal(ErrorKind.NotFound, (await memory.GetMemoryAsync(Ws, store, created.Id, None)).Error?.Kind);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_adds_no_version_and_passes_a_stale_precondition()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/x.md", "same", Alice, None));
        var again = Ok(await memory.UpdateMemoryAsync(Ws, store, created.Id, "same", "/x.md", new string('0', 64), Alice, None));
        Assert.Equal(created.VersionId, again.VersionId);
        var versions = Ok(await memory.ListVersionsAsync(Ws, store, new MemoryVersionQuery(), new PageRequest(100), None)).Items;
        Assert.Single(versions);
    }

    [Fact]
    public async Task A_stale_precondition_is_refused_and_changes_nothing()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/x.md", "v1", Alice, None));
        Ok(await memory.UpdateMemoryAsync(Ws, store, created.Id, "v2", null, created.ContentSha256, Alice, None));

        var stale = await memory.UpdateMemoryAsync(Ws, store, created.Id, "v3", null, created.ContentSha256, Alice, None);
        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error?.Kind);
        var staleDelete = await memory.DeleteMemoryAsync(Ws, store, created.Id, created.ContentSha256, Alice, None);
        Assert.Equal(ErrorKind.PreconditionFailed, staleDelete.Error?.Kind);
        Assert.Equal("v2", Ok(await memory.GetMemoryAsync(Ws, store, created.Id, None)).Content);
    }

    [Theory]
    [InlineData("/notes.md", "/notes.md")]
    [InlineData("/notes", "/notes/todo.md")]
    [InlineData("/notes/todo.md", "/notes")]
    [InlineData("/a/b/c/d", "/a/b")]
    public async Task Paths_that_are_equal_or_ancestors_conflict_naming_the_memory(string existing, string wanted)
    {
        var (memory, store) = await NewAsync();
        var first = Ok(await memory.CreateMemoryAsync(Ws, store, existing, "x", Alice, None));
        var other = Ok(await memory.CreateMemoryAsync(Ws, store, "/elsewhere.md", "y", Alice, None));

        var created = await memory.CreateMemoryAsync(Ws, store, wanted, "z", Alice, None);
        Assert.Equal(ErrorKind.PathConflict, created.Error?.Kind);
        Assert.Equal(first.Id, created.Error?.ConflictingMemoryId);
        Assert.Equal(existing, created.Error?.ConflictingPath);

        var renamed = await memory.UpdateMemoryAsync(Ws, store, other.Id, null, wanted, null, Alice, None);
        Assert.Equal(ErrorKind.PathConflict, renamed.Error?.Kind);
        Assert.Equal(first.Id, renamed.Error?.ConflictingMemoryId);
    }

    [Fact]
    public async Task Paths_that_share_only_a_name_start_do_not_conflict_and_case_matters()
    {
        var (memory, store) = await NewAsync();
        Ok(await memory.CreateMemoryAsync(Ws, store, "/notes/a.md", "x", Alice, None));
        Ok(await memory.CreateMemoryAsync(Ws, store, "/notes-archive/a.md", "x", Alice, None));
        Ok(await memory.CreateMemoryAsync(Ws, store, "/notes.md", "x", Alice, None));
        Ok(await memory.CreateMemoryAsync(Ws, store, "/Notes/a.md", "x", Alice, None));
    }

    [Fact]
    public async Task Depth_one_lists_direct_children_and_rolls_up_directories_in_path_order()
    {
        var (memory, store) = await NewAsync();
        foreach (var path in new[] { "/b.md", "/a/x.md", "/a/y/z.md", "/c/d/e.md", "/c/f.md", "/a.md", "/a-b.md", "/é.md" })
        {
            Ok(await memory.CreateMemoryAsync(Ws, store, path.Replace("/a.md", "/top.md", StringComparison.Ordinal), "x", Alice, None));
        }

        var top = Ok(await memory.ListMemoriesAsync(Ws, store, "/", 1, false, new PageRequest(100), None));
        Assert.Equal(["/a-b.md", "/a/", "/b.md", "/c/", "/top.md", "/é.md"], top.Items.Select(i => i.Key));
        Assert.Null(top.Items[0].Memory!.Content);

        var inA = Ok(await memory.ListMemoriesAsync(Ws, store, "/a/", 1, true, new PageRequest(100), None));
        Assert.Equal(["/a/x.md", "/a/y/"], inA.Items.Select(i => i.Key));
        Assert.Equal("x", inA.Items[0].Memory!.Content);

        var all = Ok(await memory.ListMemoriesAsync(Ws, store, null, 0, false, new PageRequest(100), None));
        Assert.Equal(8, all.Items.Count);
    }

    [Fact]
    public async Task Pages_of_a_rolled_up_listing_cover_every_item_once()
    {
        var (memory, store) = await NewAsync();
        for (var i = 0; i < 30; i++)
        {
            Ok(await memory.CreateMemoryAsync(Ws, store, $"/d{i % 7}/m{i:D2}.md", "x", Alice, None));
            Ok(await memory.CreateMemoryAsync(Ws, store, $"/f{i:D2}.md", "x", Alice, None));
        }

        foreach (var (depth, expected) in new[] { (1, 37), (0, 60) })
        {
            var keys = new List<string>();
            string? cursor = null;
            do
            {
                var page = Ok(await memory.ListMemoriesAsync(Ws, store, "/", depth, true, new PageRequest(100, cursor), None));
                Assert.True(page.Items.Count <= MemoryService.MaxFullPageSize);
                keys.AddRange(page.Items.Select(i => i.Key));
                cursor = page.NextPage;
            }
            while (cursor is not null);
            Assert.Equal(expected, keys.Count);
            Assert.Equal(keys.Distinct().Count(), keys.Count);
            Assert.Equal(keys.Order(Comparer<string>.Create(MemoryPaths.CompareUtf8)), keys);
        }
    }

    [Fact]
    public async Task Redaction_blanks_content_and_path_records_who_and_refuses_the_current_version()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/secret.md", "token=abc", Alice, None));
        var current = await memory.RedactVersionAsync(Ws, store, created.VersionId, Alice, None);
        Assert.Equal(ErrorKind.Conflict, current.Error?.Kind);

        Ok(await memory.UpdateMemoryAsync(Ws, store, created.Id, "token=<removed>", null, null, Alice, None));
        var redacted = Ok(await memory.RedactVersionAsync(Ws, store, created.VersionId, MemoryActor.ApiKey("key_1"), None));
        Assert.Null(redacted.Content);
        Assert.Null(redacted.Path);
        Assert.Null(redacted.ContentSha256);
        Assert.NotNull(redacted.RedactedAt);
        Assert.Equal(MemoryActor.ApiKey("key_1"), redacted.RedactedBy);
        Assert.Equal(Alice, redacted.CreatedBy);

        var read = Ok(await memory.GetVersionAsync(Ws, store, created.VersionId, None));
        Assert.Null(read.Content);
        Assert.Equal(MemoryOperation.Created, read.Operation);
    }

    [Fact]
    public async Task An_archived_store_reads_and_deletes_but_refuses_changes()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/x.md", "x", Alice, None));
        Ok(await memory.ArchiveStoreAsync(Ws, store, None));

        Assert.Equal(ErrorKind.Conflict, (await memory.CreateMemoryAsync(Ws, store, "/y.md", "y", Alice, None)).Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await memory.UpdateMemoryAsync(Ws, store, created.Id, "z", null, null, Alice, None)).Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await memory.UpdateStoreAsync(Ws, store, "new", null, null, None)).Error?.Kind);
        Assert.Equal("x", Ok(await memory.GetMemoryAsync(Ws, store, created.Id, None)).Content);
        Ok(await memory.DeleteMemoryAsync(Ws, store, created.Id, null, Alice, None));
    }

    [Fact]
    public async Task Stores_are_scoped_to_their_workspace_and_deleting_one_removes_its_memories()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/x.md", "x", Alice, None));
        Assert.Equal(ErrorKind.NotFound, (await memory.GetStoreAsync("other", store, None)).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await memory.CreateMemoryAsync("other", store, "/y.md", "y", Alice, None)).Error?.Kind);

        Ok(await memory.DeleteStoreAsync(Ws, store, None));
        Assert.Null(await memory.Storage.GetMemoryAsync(store, created.Id, None));
        Assert.Null(await memory.Storage.GetMemoryVersionAsync(store, created.VersionId, None));
    }

    [Fact]
    public async Task Fifty_parallel_conditional_updates_of_one_memory_have_one_winner_per_state_and_a_clean_chain()
    {
        var (memory, store) = await NewAsync();
        var created = Ok(await memory.CreateMemoryAsync(Ws, store, "/counter.md", "0", Alice, None));

        // Every writer reads the current state, then asks to move it on with a precondition on what it read.
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(async () =>
        {
            var seen = Ok(await memory.GetMemoryAsync(Ws, store, created.Id, None));
            return await memory.UpdateMemoryAsync(Ws, store, created.Id, $"{seen.Content}+{i}", null, seen.ContentSha256, MemoryActor.Session($"sesn_{i}"), None);
        })));

        var wins = outcomes.Where(o => o.IsSuccess).ToList();
        Assert.NotEmpty(wins);
        Assert.All(outcomes.Where(o => !o.IsSuccess), o => Assert.Equal(ErrorKind.PreconditionFailed, o.Error!.Kind));

        var chain = new List<MemoryVersion>();
        string? cursor = null;
        do
        {
            var page = Ok(await memory.ListVersionsAsync(Ws, store, new MemoryVersionQuery { MemoryId = created.Id }, new PageRequest(100, cursor), None));
            chain.AddRange(page.Items);
            cursor = page.NextPage;
        }
        while (cursor is not null);
        chain.Reverse();
        Assert.Equal(wins.Count + 1, chain.Count);

        // Each version extends exactly the one before it: no lost update, no fork.
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.StartsWith(chain[i - 1].Content + "+", chain[i].Content, StringComparison.Ordinal);
            Assert.DoesNotContain('+', chain[i].Content![(chain[i - 1].Content!.Length + 1)..]);
        }

        Assert.Equal(chain[^1].Content, Ok(await memory.GetMemoryAsync(Ws, store, created.Id, None)).Content);
        Assert.Equal(wins.Count, wins.Select(w => w.Value!.ContentSha256).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_of_edits_applies_all_or_nothing()
    {
        var (memory, store) = await NewAsync();
        var a = Ok(await memory.CreateMemoryAsync(Ws, store, "/a.md", "a1", Alice, None));
        var b = Ok(await memory.CreateMemoryAsync(Ws, store, "/b.md", "b1", Alice, None));

        var applied = Ok(await memory.ApplyEditsAsync(Ws, store,
            [MemoryEdit.Update("/a.md", "a2", a.ContentSha256), MemoryEdit.Delete("/b.md", b.ContentSha256), MemoryEdit.Create("/b.md", "new b"), MemoryEdit.Create("/c/d.md", "d")],
            Alice, None));
        Assert.Equal(["a2", null, "new b", "d"], applied.Select(m => m?.Content));

        var before = Ok(await memory.ListVersionsAsync(Ws, store, new MemoryVersionQuery(), new PageRequest(100), None)).Items.Count;
        var failed = await memory.ApplyEditsAsync(Ws, store,
            [MemoryEdit.Update("/a.md", "a3", null), MemoryEdit.Create("/e.md", "e"), MemoryEdit.Update("/c/d.md", "d2", a.ContentSha256)],
            Alice, None);
        Assert.Equal(ErrorKind.PreconditionFailed, failed.Error?.Kind);
        Assert.Contains("Edit 3 of 3", failed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("a2", Ok(await memory.FindMemoryAsync(Ws, store, "/a.md", None)).Content);
        Assert.Equal(ErrorKind.NotFound, (await memory.FindMemoryAsync(Ws, store, "/e.md", None)).Error?.Kind);
        Assert.Equal(before, Ok(await memory.ListVersionsAsync(Ws, store, new MemoryVersionQuery(), new PageRequest(100), None)).Items.Count);

        var conflict = await memory.ApplyEditsAsync(Ws, store, [MemoryEdit.Create("/c", "x")], Alice, None);
        Assert.Equal(ErrorKind.PathConflict, conflict.Error?.Kind);
    }
}
