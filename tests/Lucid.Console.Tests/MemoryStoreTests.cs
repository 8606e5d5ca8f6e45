using Anthropic.Exceptions;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Anthropic.Models.Beta.MemoryStores.MemoryVersions;
using Lucid.Memory;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class MemoryStoreTests(ConsoleFixture fixture)
{
    private async Task<(BetaManagedAgentsMemoryStore Store, BetaManagedAgentsMemory Memory)> NewMemoryAsync(string path, string content, string storeName = "Team notes")
    {
        var store = await fixture.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = storeName, Description = "What the team learned" });
        var memory = await fixture.Alpha.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = path, Content = content });
        return (store, memory);
    }

    private Task<BetaManagedAgentsMemory> ReadAsync(string storeId, string memoryId) =>
        fixture.Alpha.Beta.MemoryStores.Memories.Retrieve(memoryId, new MemoryRetrieveParams { MemoryStoreID = storeId });

    private static string MemoryUrl(string storeId, string memoryId) => $"/console/memory_stores/{storeId}/memories/{memoryId}";

    [Fact]
    public async Task Editing_a_memory_writes_a_new_version_shown_with_its_diff_and_author()
    {
        var (store, memory) = await NewMemoryAsync("/playbooks/deploy.md", "# Deploy\n\nRun the migrations first.\n", "Deploy notes");
        await fixture.Alpha.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/people/ana.md", Content = "Ana owns releases." });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);

        await page.GotoAsync("/console/memory_stores");
        await page.GetByRole(AriaRole.Link, new() { Name = "Deploy notes" }).ClickAsync();
        var tree = page.GetByRole(AriaRole.Navigation, new() { Name = "Memories by path" });
        await Assertions.Expect(tree).ToContainTextAsync("playbooks/");
        await Assertions.Expect(tree).ToContainTextAsync("people/");
        await ConsoleFixture.ScreenshotAsync(page, "memory-store");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await tree.GetByRole(AriaRole.Link, new() { Name = "deploy.md" }).ClickAsync();
        await Assertions.Expect(page.Locator(".markdown h1")).ToHaveTextAsync("Deploy");
        await page.GetByLabel("Content of /playbooks/deploy.md").FillAsync("# Deploy\n\nRun the migrations first.\nThen restart the workers.\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved as a new version");
        Assert.Equal("# Deploy\n\nRun the migrations first.\nThen restart the workers.\n", (await ReadAsync(store.ID, memory.ID)).Content);
        var newest = (await ReadAsync(store.ID, memory.ID)).MemoryVersionID;
        var version = page.Locator($"li[id='{newest}']");
        await Assertions.Expect(version).ToContainTextAsync("modified (current)");
        await Assertions.Expect(version).ToContainTextAsync("by API key key_");
        await Assertions.Expect(version.Locator(".diff .add")).ToHaveTextAsync(["added: Then restart the workers."]);
        await Assertions.Expect(version.Locator(".diff .del")).ToHaveCountAsync(0);
        await ConsoleFixture.ScreenshotAsync(page, "memory-history");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // Any version against the current one.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Compare with current ({memory.MemoryVersionID})" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "The chosen version against the current one" })).ToContainTextAsync("added: Then restart the workers.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Each_change_names_who_made_it_with_links_to_sessions_and_dreams()
    {
        var (store, memory) = await NewMemoryAsync("/lessons/retry.md", "Retry once.");
        var service = fixture.Server.Service<MemoryService>();
        var bySession = await service.UpdateMemoryAsync("alpha", store.ID, memory.ID, "Retry twice.", null, null, MemoryActor.Session("sesn_fromagent"), CancellationToken.None);
        Assert.True(bySession.IsSuccess);
        var byDream = await service.UpdateMemoryAsync("alpha", store.ID, memory.ID, "Retry with backoff.", null, null, MemoryActor.Dream("dream_curator", "sesn_ofdream"), CancellationToken.None);
        Assert.True(byDream.IsSuccess);
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);

        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));

        var dream = page.Locator($"li[id='{byDream.Value.VersionId}'] h3");
        await Assertions.Expect(dream.GetByRole(AriaRole.Link, new() { Name = "dream_curator" })).ToHaveAttributeAsync("href", "/console/dreams/dream_curator");
        await Assertions.Expect(dream.GetByRole(AriaRole.Link, new() { Name = "sesn_ofdream" })).ToHaveAttributeAsync("href", "/console/sessions/sesn_ofdream");
        var session = page.Locator($"li[id='{bySession.Value.VersionId}'] h3");
        await Assertions.Expect(session).ToContainTextAsync("by session sesn_fromagent");
        await Assertions.Expect(session.GetByRole(AriaRole.Link, new() { Name = "sesn_fromagent" })).ToHaveAttributeAsync("href", "/console/sessions/sesn_fromagent");
        await Assertions.Expect(page.Locator($"li[id='{memory.MemoryVersionID}'] h3")).ToContainTextAsync("by API key key_");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_shown_and_nothing_is_written()
    {
        var (store, memory) = await NewMemoryAsync("/notes.md", "first");
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));
        await page.GetByLabel("Content of /notes.md").FillAsync("my edit");

        // Someone else changes it after the page was loaded.
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "changed through the API" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not saved");
        await Assertions.Expect(page.Locator(".markdown")).ToContainTextAsync("changed through the API");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Your edit against the current content" })).ToContainTextAsync("added: my edit");
        await Assertions.Expect(page.GetByLabel("Content of /notes.md")).ToHaveValueAsync("my edit");
        Assert.Equal("changed through the API", (await ReadAsync(store.ID, memory.ID)).Content);
        var versions = await fixture.Alpha.Beta.MemoryStores.MemoryVersions.List(store.ID, new MemoryVersionListParams { MemoryID = memory.ID });
        Assert.Equal(2, versions.Items.Count);
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_edit_of_a_memory_deleted_meanwhile_is_refused_and_nothing_is_written()
    {
        var (store, memory) = await NewMemoryAsync("/gone.md", "soon deleted");
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));
        await page.GetByLabel("Content of /gone.md").FillAsync("my edit");
        await fixture.Alpha.Beta.MemoryStores.Memories.Delete(memory.ID, new MemoryDeleteParams { MemoryStoreID = store.ID });

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("deleted after the page was loaded");
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => ReadAsync(store.ID, memory.ID));
        var versions = await fixture.Alpha.Beta.MemoryStores.MemoryVersions.List(store.ID, new MemoryVersionListParams { MemoryID = memory.ID });
        Assert.Equal(2, versions.Items.Count);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reverting_writes_the_old_content_as_a_new_version_and_deleting_removes_the_memory()
    {
        var (store, memory) = await NewMemoryAsync("/runbook.md", "step one");
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "step two" });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revert to this version ({memory.MemoryVersionID})" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Reverted to {memory.MemoryVersionID}");
        var reverted = await ReadAsync(store.ID, memory.ID);
        Assert.Equal("step one", reverted.Content);
        Assert.NotEqual(memory.MemoryVersionID, reverted.MemoryVersionID);
        await Assertions.Expect(page.Locator(".markdown")).ToHaveTextAsync("step one");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete memory" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deleted");
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => ReadAsync(store.ID, memory.ID));
        await Assertions.Expect(page.Locator("ol.versions > li")).ToHaveCountAsync(4);
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_stale_revert_is_refused_and_the_memory_keeps_its_content()
    {
        var (store, memory) = await NewMemoryAsync("/plan.md", "plan A");
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "plan B" });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "plan C" });

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revert to this version ({memory.MemoryVersionID})" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("content_sha256");
        Assert.Equal("plan C", (await ReadAsync(store.ID, memory.ID)).Content);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_stale_delete_is_refused_and_the_memory_stays()
    {
        var (store, memory) = await NewMemoryAsync("/keep.md", "keep me");
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "changed meanwhile" });

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete memory" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("content_sha256");
        Assert.Equal("changed meanwhile", (await ReadAsync(store.ID, memory.ID)).Content);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Redacting_a_version_blanks_its_content_for_good()
    {
        var (store, memory) = await NewMemoryAsync("/creds.md", "password=hunter2");
        await fixture.Alpha.Beta.MemoryStores.Memories.Update(memory.ID, new MemoryUpdateParams { MemoryStoreID = store.ID, Content = "the password is in the vault" });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("hunter2");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Redact this version ({memory.MemoryVersionID})" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Redacted {memory.MemoryVersionID}");
        await Assertions.Expect(page.Locator($"li[id='{memory.MemoryVersionID}']")).ToContainTextAsync("Redacted");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("hunter2");
        var version = await fixture.Alpha.Beta.MemoryStores.MemoryVersions.Retrieve(memory.MemoryVersionID, new MemoryVersionRetrieveParams { MemoryStoreID = store.ID });
        Assert.NotNull(version.RedactedAt);
        Assert.Null(version.Content);
        Assert.True(version.RedactedBy!.TryPickApi(out _));
        // The current version offers no redaction (the service would refuse it).
        var current = (await ReadAsync(store.ID, memory.ID)).MemoryVersionID;
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Redact this version ({current})" })).ToHaveCountAsync(0);
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Markdown_with_script_is_shown_as_text_and_never_runs()
    {
        const string Hostile = "# Notes\n\n<script>window.injected = 'script'</script>\n\n<img src=x onerror=\"window.injected = 'img'\">\n\n[click me](javascript:window.injected='link')\n\n[tabbed](java&#9;script:window.injected='tab')\n";
        var (store, memory) = await NewMemoryAsync("/hostile.md", Hostile);
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync(MemoryUrl(store.ID, memory.ID));

        var rendered = page.Locator(".markdown");
        await Assertions.Expect(rendered.Locator("h1")).ToHaveTextAsync("Notes");
        await Assertions.Expect(rendered).ToContainTextAsync("<script>window.injected = 'script'</script>");
        Assert.Equal(0, await rendered.Locator("script, img, [onerror]").CountAsync());
        var link = rendered.GetByRole(AriaRole.Link, new() { Name = "click me" });
        Assert.DoesNotContain("javascript", await link.GetAttributeAsync("href") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("script", await rendered.GetByRole(AriaRole.Link, new() { Name = "tabbed" }).GetAttributeAsync("href") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.injected"));
        Assert.Equal(0, dialogs);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_stores_and_gets_404_for_their_pages()
    {
        var (store, memory) = await NewMemoryAsync("/private.md", "alpha only secret", "Alpha private store");
        var page = await fixture.SignedInAsync(fixture.Server.BetaKey);

        await page.GotoAsync("/console/memory_stores");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Memory stores" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Alpha private store");

        foreach (var url in new[] { $"/console/memory_stores/{store.ID}", MemoryUrl(store.ID, memory.ID) })
        {
            var response = await page.Context.APIRequest.GetAsync(url);
            Assert.Equal(404, response.Status);
            var html = await response.TextAsync();
            Assert.Contains("Not found", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Alpha private store", html, StringComparison.Ordinal);
            Assert.DoesNotContain("alpha only secret", html, StringComparison.Ordinal);
            Assert.DoesNotContain("/private.md", html, StringComparison.Ordinal);
        }

        var shown = await page.GotoAsync($"/console/memory_stores/{store.ID}");
        Assert.Equal(404, shown!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }
}
