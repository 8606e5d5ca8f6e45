using Lucid.Events;
using Lucid.Memory;
using Lucid.Storage;
using Lucid.Testing.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Memory;

public sealed class MountedMemoryTests
{
    private static readonly MemoryActor Ana = MemoryActor.User("user_ana");

    private static string Text(AgentToolResultEvent result) => string.Concat(result.Content.OfType<TextBlock>().Select(b => b.Text));

    private static async Task<(InMemoryStore Store, MemoryService Memory, string StoreId)> SeedAsync(string name = "Team Notes")
    {
        var store = new InMemoryStore();
        var memory = new MemoryService(store);
        var created = await memory.CreateStoreAsync(Workspaces.Default, name, "Deployment lessons", null, CancellationToken.None);
        var id = created.Value!.Id;
        await memory.CreateMemoryAsync(Workspaces.Default, id, "/playbooks/deploy.md", "Run migrations before deploying.\n", Ana, CancellationToken.None);
        await memory.CreateMemoryAsync(Workspaces.Default, id, "/people/ana.md", "Ana owns the database.\n", Ana, CancellationToken.None);
        return (store, memory, id);
    }

    [Fact]
    public async Task The_agent_reads_writes_and_edits_mounted_memory_and_each_write_is_a_version_by_the_session()
    {
        var (store, memory, storeId) = await SeedAsync();
        await using var h = await SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment(storeId, Instructions: "Record every deploy lesson.")]);
        h.Model
            .CallTool("read", new { file_path = "/mnt/memory/team-notes/playbooks/deploy.md" })
            .CallTool("write", new { file_path = "/mnt/memory/team-notes/playbooks/rollback.md", content = "Keep the previous image tagged.\n" })
            .CallTool("edit", new { file_path = "/mnt/memory/team-notes/playbooks/deploy.md", old_string = "before deploying", new_string = "before deploying; check the lock first" })
            .CallTool("glob", new { pattern = "**/*.md", path = "/mnt/memory/team-notes" })
            .Reply("Memory updated.");

        var events = await h.RunTurnAsync("deploy and remember what you learn");

        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.All(results, r => Assert.False(r.IsError, Text(r)));
        Assert.Contains("Run migrations before deploying.", Text(results[0]), StringComparison.Ordinal);
        Assert.StartsWith("<recalled-memory source=\"/mnt/memory/team-notes/playbooks/deploy.md\"", Text(results[0]), StringComparison.Ordinal);
        Assert.Equal(
            "/mnt/memory/team-notes/people/ana.md\n/mnt/memory/team-notes/playbooks/deploy.md\n/mnt/memory/team-notes/playbooks/rollback.md",
            Text(results[3]));

        // The system prompt carried the store's description, instructions and listing.
        var system = h.Model.Requests[0].Messages[0].Text;
        Assert.Contains("/mnt/memory/team-notes (Team Notes, read-write)", system, StringComparison.Ordinal);
        Assert.Contains("Deployment lessons", system, StringComparison.Ordinal);
        Assert.Contains("Record every deploy lesson.", system, StringComparison.Ordinal);
        Assert.Contains("- /mnt/memory/team-notes/people/ana.md", system, StringComparison.Ordinal);

        // Writes went through the store, not a disk copy, and each became a version by the session.
        Assert.False(Directory.Exists(Path.Combine(h.WorkDirectory, "mnt")));
        var rollback = await memory.FindMemoryAsync(Workspaces.Default, storeId, "/playbooks/rollback.md", CancellationToken.None);
        Assert.Equal("Keep the previous image tagged.\n", rollback.Value!.Content);
        var deploy = await memory.FindMemoryAsync(Workspaces.Default, storeId, "/playbooks/deploy.md", CancellationToken.None);
        Assert.Equal("Run migrations before deploying; check the lock first.\n", deploy.Value!.Content);

        var bySession = await memory.ListVersionsAsync(
            Workspaces.Default, storeId, new MemoryVersionQuery { ActorKind = MemoryActorKind.Session, ActorId = h.Session.Id }, new PageRequest(100), CancellationToken.None);
        Assert.Equal(
            [(MemoryOperation.Modified, "/playbooks/deploy.md"), (MemoryOperation.Created, "/playbooks/rollback.md")],
            bySession.Value!.Items.Select(v => (v.Operation, v.Path!)));
        Assert.All(bySession.Value.Items, v => Assert.Equal(MemoryActor.Session(h.Session.Id), v.CreatedBy));
    }

    [Fact]
    public async Task A_read_only_mount_refuses_writes_and_edits_with_a_tool_error()
    {
        var (store, memory, storeId) = await SeedAsync();
        await using var h = await SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment(storeId, MemoryAccess.ReadOnly)]);
        h.Model
            .CallTool("write", new { file_path = "/mnt/memory/team-notes/new.md", content = "x" })
            .CallTool("edit", new { file_path = "/mnt/memory/team-notes/people/ana.md", old_string = "Ana", new_string = "Bo" })
            .CallTool("read", new { file_path = "/mnt/memory/team-notes/people/ana.md" })
            .Reply("I could only read.");

        var events = await h.RunTurnAsync("try to change memory");

        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.True(results[0].IsError);
        Assert.Contains("read-only", Text(results[0]), StringComparison.Ordinal);
        Assert.True(results[1].IsError);
        Assert.Contains("read-only", Text(results[1]), StringComparison.Ordinal);
        Assert.False(results[2].IsError);
        Assert.Contains("(Team Notes, read-only)", h.Model.Requests[0].Messages[0].Text, StringComparison.Ordinal);
        var versions = await memory.ListVersionsAsync(Workspaces.Default, storeId, new MemoryVersionQuery(), new PageRequest(100), CancellationToken.None);
        Assert.Equal(2, versions.Value!.Items.Count);
    }

    [Fact]
    public async Task Directories_list_paths_outside_mounts_fail_and_grep_marks_recalled_text()
    {
        var (store, _, storeId) = await SeedAsync();
        await using var h = await SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment(storeId)]);
        h.Model
            .CallTool("read", new { file_path = "/mnt/memory" })
            .CallTool("read", new { file_path = "/mnt/memory/team-notes" })
            .CallTool("read", new { file_path = "/mnt/memory/team-notes/playbooks/" })
            .CallTool("read", new { file_path = "/mnt/memory/other/x.md" })
            .CallTool("grep", new { pattern = "owns", path = "/mnt/memory/team-notes" })
            .CallTool("write", new { file_path = "/mnt/memory/team-notes/playbooks", content = "a directory" })
            .Reply("ok");

        var results = (await h.RunTurnAsync("look around")).Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();

        Assert.Equal("team-notes/", Text(results[0]));
        Assert.Equal("people/\nplaybooks/", Text(results[1]));
        Assert.Equal("deploy.md", Text(results[2]));
        Assert.True(results[3].IsError);
        Assert.Contains("/mnt/memory/team-notes", Text(results[3]), StringComparison.Ordinal);
        Assert.Contains("/mnt/memory/team-notes/people/ana.md:1:Ana owns the database.", Text(results[4]), StringComparison.Ordinal);
        Assert.Equal("", MemoryRecall.Strip(Text(results[4])));
        Assert.True(results[5].IsError);
        Assert.Contains("overlaps", Text(results[5]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attaching_an_archived_or_unknown_store_is_refused_and_creates_no_session()
    {
        var (store, memory, storeId) = await SeedAsync();
        await memory.ArchiveStoreAsync(Workspaces.Default, storeId, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment(storeId)]));
        await Assert.ThrowsAnyAsync<Exception>(() => SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment("memstore_nope")]));
        var sessions = await store.ListSessionsAsync(null, new SessionQuery { IncludeArchived = true }, new PageRequest(100), CancellationToken.None);
        Assert.Empty(sessions.Items);
    }

    [Fact]
    public async Task Two_stores_with_the_same_slug_get_distinct_mount_paths()
    {
        var (store, memory, first) = await SeedAsync();
        var second = (await memory.CreateStoreAsync(Workspaces.Default, "team notes", null, null, CancellationToken.None)).Value!.Id;
        await using var h = await SessionHarness.StartAsync(store: store, memory: [new MemoryAttachment(first), new MemoryAttachment(second)]);
        Assert.Equal(["/mnt/memory/team-notes", "/mnt/memory/team-notes-2"], h.Session.Resources.Select(r => r.MountPath));
    }
}
