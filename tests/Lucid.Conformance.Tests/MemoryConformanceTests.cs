using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Anthropic.Models.Beta.MemoryStores.MemoryVersions;
using Lucid.Memory;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class MemoryConformanceTests(LucidServerFixture server)
{
    private async Task<BetaManagedAgentsMemoryStore> NewStoreAsync(string name = "Team notes") =>
        await server.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = name, Description = "Lessons the team learned", Metadata = new Dictionary<string, string> { ["team"] = "core" } });

    [Fact]
    public async Task Stores_are_created_listed_retrieved_updated_archived_and_deleted()
    {
        var stores = server.Alpha.Beta.MemoryStores;
        var store = await NewStoreAsync();
        Assert.StartsWith("memstore_", store.ID, StringComparison.Ordinal);
        Assert.Equal("Lessons the team learned", store.Description);
        Assert.Null(store.ArchivedAt);

        Assert.Equal(store.ID, (await stores.Retrieve(store.ID)).ID);
        Assert.Contains((await stores.List()).Items, s => s.ID == store.ID);

        var updated = await stores.Update(store.ID, new MemoryStoreUpdateParams
        {
            Name = "Renamed",
            Metadata = new Dictionary<string, string?> { ["team"] = null, ["owner"] = "ana" },
        });
        Assert.Equal("Renamed", updated.Name);
        Assert.Equal("Lessons the team learned", updated.Description);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "ana" }, updated.Metadata);

        var archived = await stores.Archive(store.ID);
        Assert.NotNull(archived.ArchivedAt);
        Assert.DoesNotContain((await stores.List()).Items, s => s.ID == store.ID);
        Assert.Contains((await stores.List(new MemoryStoreListParams { IncludeArchived = true })).Items, s => s.ID == store.ID);
        await Assert.ThrowsAsync<AnthropicConflictException>(() => stores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/late.md", Content = "x" }));

        var deleted = await stores.Delete(store.ID);
        Assert.Equal(store.ID, deleted.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => stores.Retrieve(store.ID));
    }

    [Fact]
    public async Task Memories_are_created_read_edited_renamed_and_deleted_with_hashes()
    {
        var memories = server.Alpha.Beta.MemoryStores.Memories;
        var store = await NewStoreAsync();
        var created = await memories.Create(store.ID, new MemoryCreateParams { Path = "/playbooks/deploy.md", Content = "Run the migrations first." });
        Assert.Null(created.Content);
        Assert.Equal(MemoryPaths.Sha256("Run the migrations first."), created.ContentSha256);
        Assert.Equal(25, created.ContentSizeBytes);

        var read = await memories.Retrieve(created.ID, new MemoryRetrieveParams { MemoryStoreID = store.ID });
        Assert.Equal("Run the migrations first.", read.Content);
        var basic = await memories.Retrieve(created.ID, new MemoryRetrieveParams { MemoryStoreID = store.ID, View = BetaManagedAgentsMemoryView.Basic });
        Assert.Null(basic.Content);

        var edited = await memories.Update(created.ID, new MemoryUpdateParams
        {
            MemoryStoreID = store.ID,
            Content = "Run the migrations first, then deploy.",
            Precondition = new BetaManagedAgentsPrecondition { ContentSha256 = created.ContentSha256 },
            View = BetaManagedAgentsMemoryView.Full,
        });
        Assert.Equal("Run the migrations first, then deploy.", edited.Content);
        Assert.NotEqual(created.MemoryVersionID, edited.MemoryVersionID);

        var renamed = await memories.Update(created.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Path = "/playbooks/release.md" });
        Assert.Equal(created.ID, renamed.ID);
        Assert.Equal("/playbooks/release.md", renamed.Path);

        var unchanged = await memories.Update(created.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Path = "/playbooks/release.md" });
        Assert.Equal(renamed.MemoryVersionID, unchanged.MemoryVersionID);

        var deleted = await memories.Delete(created.ID, new MemoryDeleteParams { MemoryStoreID = store.ID, ExpectedContentSha256 = renamed.ContentSha256 });
        Assert.Equal(created.ID, deleted.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => memories.Retrieve(created.ID, new MemoryRetrieveParams { MemoryStoreID = store.ID }));
    }

    [Fact]
    public async Task A_stale_precondition_is_409_memory_precondition_failed_and_changes_nothing()
    {
        var memories = server.Alpha.Beta.MemoryStores.Memories;
        var store = await NewStoreAsync();
        var created = await memories.Create(store.ID, new MemoryCreateParams { Path = "/a.md", Content = "v1" });
        await memories.Update(created.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "v2" });
        var before = await server.SnapshotAsync();

        var update = await Assert.ThrowsAsync<AnthropicConflictException>(() => memories.Update(created.ID, new MemoryUpdateParams
        {
            MemoryStoreID = store.ID,
            Content = "v3",
            Precondition = new BetaManagedAgentsPrecondition { ContentSha256 = created.ContentSha256 },
        }));
        Assert.Equal("memory_precondition_failed_error", ErrorType(update));
        var delete = await Assert.ThrowsAsync<AnthropicConflictException>(() => memories.Delete(created.ID, new MemoryDeleteParams { MemoryStoreID = store.ID, ExpectedContentSha256 = created.ContentSha256 }));
        Assert.Equal("memory_precondition_failed_error", ErrorType(delete));
        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task An_overlapping_path_is_409_memory_path_conflict_naming_the_memory()
    {
        var memories = server.Alpha.Beta.MemoryStores.Memories;
        var store = await NewStoreAsync();
        var notes = await memories.Create(store.ID, new MemoryCreateParams { Path = "/notes", Content = "x" });
        var other = await memories.Create(store.ID, new MemoryCreateParams { Path = "/other.md", Content = "y" });
        var before = await server.SnapshotAsync();

        var create = await Assert.ThrowsAsync<AnthropicConflictException>(() => memories.Create(store.ID, new MemoryCreateParams { Path = "/notes/todo.md", Content = "z" }));
        var rename = await Assert.ThrowsAsync<AnthropicConflictException>(() => memories.Update(other.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Path = "/notes" }));
        foreach (var conflict in new[] { create, rename })
        {
            using var body = JsonDocument.Parse(conflict.ResponseBody);
            var error = body.RootElement.GetProperty("error");
            Assert.Equal("memory_path_conflict_error", error.GetProperty("type").GetString());
            Assert.Equal(notes.ID, error.GetProperty("conflicting_memory_id").GetString());
            Assert.Equal("/notes", error.GetProperty("conflicting_path").GetString());
        }

        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task Depth_one_rolls_up_directories_and_full_pages_hold_at_most_twenty()
    {
        var memories = server.Alpha.Beta.MemoryStores.Memories;
        var store = await NewStoreAsync();
        foreach (var path in new[] { "/readme.md", "/playbooks/deploy.md", "/playbooks/db/migrate.md", "/people/ana.md" })
        {
            await memories.Create(store.ID, new MemoryCreateParams { Path = path, Content = path });
        }

        var top = await memories.List(store.ID, new MemoryListParams { Depth = 1 });
        Assert.Equal(["/people/", "/playbooks/", "/readme.md"], top.Items.Select(Path));
        Assert.True(top.Items[0].TryPickPrefix(out _));
        var playbooks = await memories.List(store.ID, new MemoryListParams { PathPrefix = "/playbooks/", Depth = 1, View = BetaManagedAgentsMemoryView.Full });
        Assert.Equal(["/playbooks/db/", "/playbooks/deploy.md"], playbooks.Items.Select(Path));
        Assert.True(playbooks.Items[1].TryPickBetaManagedAgentsMemory(out var deploy) && deploy.Content == "/playbooks/deploy.md");

        for (var i = 0; i < 41; i++)
        {
            await memories.Create(store.ID, new MemoryCreateParams { Path = $"/bulk/{i:D2}.md", Content = $"note {i}" });
        }

        var seen = new List<string>();
        var page = await memories.List(store.ID, new MemoryListParams { PathPrefix = "/bulk/", View = BetaManagedAgentsMemoryView.Full, Limit = 100 });
        while (true)
        {
            Assert.InRange(page.Items.Count, 1, 20);
            seen.AddRange(page.Items.Select(Path));
            if (!page.HasNext())
            {
                break;
            }

            page = await page.Next();
        }

        Assert.Equal(Enumerable.Range(0, 41).Select(i => $"/bulk/{i:D2}.md"), seen);
    }

    [Fact]
    public async Task Versions_record_every_change_with_its_actor_filter_and_redact()
    {
        var stores = server.Alpha.Beta.MemoryStores;
        var store = await NewStoreAsync();
        var created = await stores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/creds.md", Content = "password=hunter2" });
        var edited = await stores.Memories.Update(created.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "password in the vault" });
        var other = await stores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/other.md", Content = "x" });

        var all = await stores.MemoryVersions.List(store.ID);
        Assert.Equal([other.MemoryVersionID, edited.MemoryVersionID, created.MemoryVersionID], all.Items.Select(v => v.ID));
        Assert.All(all.Items, v => Assert.True(v.CreatedBy!.TryPickApi(out var actor) && actor.ApiKeyID.StartsWith("key_", StringComparison.Ordinal)));
        Assert.All(all.Items, v => Assert.Null(v.Content));

        var ofMemory = await stores.MemoryVersions.List(store.ID, new MemoryVersionListParams { MemoryID = created.ID, View = BetaManagedAgentsMemoryView.Full });
        Assert.Equal(["password in the vault", "password=hunter2"], ofMemory.Items.Select(v => v.Content));
        var modified = await stores.MemoryVersions.List(store.ID, new MemoryVersionListParams { Operation = BetaManagedAgentsMemoryVersionOperation.Modified });
        Assert.Equal([edited.MemoryVersionID], modified.Items.Select(v => v.ID));
        Assert.Empty((await stores.MemoryVersions.List(store.ID, new MemoryVersionListParams { SessionID = "sesn_none" })).Items);

        var current = await Assert.ThrowsAsync<AnthropicConflictException>(() => stores.MemoryVersions.Redact(edited.MemoryVersionID, new MemoryVersionRedactParams { MemoryStoreID = store.ID }));
        Assert.Contains("current content", current.Message, StringComparison.Ordinal);

        var redacted = await stores.MemoryVersions.Redact(created.MemoryVersionID, new MemoryVersionRedactParams { MemoryStoreID = store.ID });
        Assert.NotNull(redacted.RedactedAt);
        Assert.Null(redacted.Content);
        Assert.Null(redacted.Path);
        Assert.Null(redacted.ContentSha256);
        Assert.True(redacted.RedactedBy!.TryPickApi(out _));
        var reread = await stores.MemoryVersions.Retrieve(created.MemoryVersionID, new MemoryVersionRetrieveParams { MemoryStoreID = store.ID });
        Assert.Null(reread.Content);
        Assert.Equal(BetaManagedAgentsMemoryVersionOperation.Created, reread.Operation.Value());
    }

    [Fact]
    public async Task Invalid_paths_and_contents_are_400_and_change_nothing()
    {
        var memories = server.Alpha.Beta.MemoryStores.Memories;
        var store = await NewStoreAsync();
        var before = await server.SnapshotAsync();
        foreach (var path in new[] { "relative.md", "/", "/a//b", "/a/../b", "/trailing/", "/tab\there", "/e\u0301", "/" + new string('x', 1024) })
        {
            await Assert.ThrowsAsync<AnthropicBadRequestException>(() => memories.Create(store.ID, new MemoryCreateParams { Path = path, Content = "x" }));
        }

        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => memories.Create(store.ID, new MemoryCreateParams { Path = "/big.md", Content = new string('x', 102_401) }));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => memories.List(store.ID, new MemoryListParams { PathPrefix = "/no-slash" }));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => server.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "x", Description = new string('d', 1025) }));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => memories.Create("memstore_missing", new MemoryCreateParams { Path = "/a.md", Content = "x" }));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => server.Beta.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/a.md", Content = "x" }));
        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task A_session_mounts_a_store_as_a_resource_and_lists_by_it()
    {
        var client = server.Alpha;
        var store = await NewStoreAsync("Deploy Lessons!");
        var agent = await client.Beta.Agents.Create(new Anthropic.Models.Beta.Agents.AgentCreateParams { Name = "with memory", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new Anthropic.Models.Beta.Environments.EnvironmentCreateParams { Name = "memory env" });
        var session = await client.Beta.Sessions.Create(new Anthropic.Models.Beta.Sessions.SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources =
            [
                new Anthropic.Models.Beta.Sessions.BetaManagedAgentsMemoryStoreResourceParam
                {
                    MemoryStoreID = store.ID,
                    Access = Anthropic.Models.Beta.Sessions.Access.ReadOnly,
                    Instructions = "Check before deploying.",
                },
            ],
        });

        var resource = Assert.Single(session.Resources);
        Assert.True(resource.TryPickMemoryStore(out var mounted));
        Assert.Equal(store.ID, mounted.MemoryStoreID);
        Assert.Equal("/mnt/memory/deploy-lessons", mounted.MountPath);
        Assert.Equal("Lessons the team learned", mounted.Description);
        Assert.Equal("Check before deploying.", mounted.Instructions);
        Assert.Equal("read_only", mounted.Access?.Raw());

        var listed = await client.Beta.Sessions.List(new Anthropic.Models.Beta.Sessions.SessionListParams { MemoryStoreID = store.ID });
        Assert.Equal([session.ID], listed.Items.Select(s => s.ID));

        await server.Alpha.Beta.MemoryStores.Archive(store.ID);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Sessions.Create(new Anthropic.Models.Beta.Sessions.SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources = [new Anthropic.Models.Beta.Sessions.BetaManagedAgentsMemoryStoreResourceParam { MemoryStoreID = store.ID }],
        }));
    }

    private static string Path(BetaManagedAgentsMemoryListItem item) =>
        item.TryPickBetaManagedAgentsMemory(out var memory) ? memory.Path : item.TryPickPrefix(out var prefix) ? prefix.Path : "?";

    private static string? ErrorType(AnthropicApiException ex)
    {
        using var body = JsonDocument.Parse(ex.ResponseBody);
        return body.RootElement.GetProperty("error").GetProperty("type").GetString();
    }
}
