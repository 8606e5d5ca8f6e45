using System.CommandLine;
using System.Globalization;
using Lucid.Cli.Memory;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Tools;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid memory …</c>: read, edit, audit and sync memory stores in the local database. Every change is a version
/// recorded with the local user as its author.
/// </summary>
internal static class MemoryCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace of the stores.", DefaultValueFactory = _ => Workspaces.Default, Recursive = true };
        var store = () => new Argument<string>("store") { Description = "The store: its ID (memstore_…) or its name." };
        var path = (string name) => new Argument<string>(name) { Description = "A memory path, such as /playbooks/deploy.md." };
        var version = (string name) => new Argument<string>(name) { Description = "A version ID (memver_…); see lucid memory log." };
        var ifSha = new Option<string?>("--if-sha") { Description = "Apply only while the memory's content_sha256 is still this (see lucid memory ls -l)." };

        var all = new Option<bool>("--all", "-a") { Description = "Include archived stores." };
        var stores = new Command("stores", "List the memory stores.") { all };
        stores.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => ListStoresAsync(s, p.GetValue(all), ct), ct));
        var name = new Argument<string>("name") { Description = "A name for the store; its mount directory in sessions derives from it." };
        var description = new Option<string?>("--description", "-d") { Description = "What the store holds; agents see it in their system prompt." };
        var create = new Command("create", "Create a memory store.") { name, description };
        create.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => CreateStoreAsync(s, p.GetRequiredValue(name), p.GetValue(description), ct), ct));
        var archiveStore = store();
        var archive = new Command("archive", "Archive a store: it stays readable, but can no longer change or be mounted by new sessions.") { archiveStore };
        archive.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => ArchiveStoreAsync(s, p.GetRequiredValue(archiveStore), ct), ct));
        stores.Add(create);
        stores.Add(archive);

        var lsStore = store();
        var prefix = new Argument<string?>("prefix") { Description = "A directory such as /playbooks/ (default: the whole store).", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List every memory below the prefix instead of rolling directories up." };
        var ls = new Command("ls", "List memories: paths, sizes, hashes and when they changed.") { lsStore, prefix, recursive };
        ls.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => ListAsync(s, p.GetRequiredValue(lsStore), p.GetValue(prefix), p.GetValue(recursive), ct), ct));

        var catStore = store();
        var catPath = path("path");
        var atVersion = new Option<string?>("--version") { Description = "Print the content as of this version instead of the current one." };
        var cat = new Command("cat", "Print a memory's content exactly.") { catStore, catPath, atVersion };
        cat.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => CatAsync(s, p.GetRequiredValue(catStore), p.GetRequiredValue(catPath), p.GetValue(atVersion), ct), ct));

        var writeStore = store();
        var writePath = path("path");
        var file = new Option<string?>("--file", "-f") { Description = "Read the content from this file (default: standard input)." };
        var content = new Option<string?>("--content", "-c") { Description = "The content, given inline." };
        var write = new Command("write", "Create a memory or replace its content.") { writeStore, writePath, file, content, ifSha };
        write.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => WriteAsync(s, p.GetRequiredValue(writeStore), p.GetRequiredValue(writePath), p.GetValue(file), p.GetValue(content), p.GetValue(ifSha), ct), ct));

        var editStore = store();
        var editPath = path("path");
        var oldText = new Option<string>("--old") { Description = "The exact text to replace; it must occur once unless --all.", Required = true };
        var newText = new Option<string>("--new") { Description = "The replacement.", Required = true };
        var replaceAll = new Option<bool>("--all") { Description = "Replace every occurrence." };
        var edit = new Command("edit", "Replace text in a memory; fails rather than overwrite a concurrent change.") { editStore, editPath, oldText, newText, replaceAll };
        edit.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => EditAsync(s, p.GetRequiredValue(editStore), p.GetRequiredValue(editPath), p.GetRequiredValue(oldText), p.GetRequiredValue(newText), p.GetValue(replaceAll), ct), ct));

        var rmStore = store();
        var rmPath = path("path");
        var rm = new Command("rm", "Delete a memory (its versions stay in the log).") { rmStore, rmPath, ifSha };
        rm.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => RemoveAsync(s, p.GetRequiredValue(rmStore), p.GetRequiredValue(rmPath), p.GetValue(ifSha), ct), ct));

        var mvStore = store();
        var from = path("from");
        var to = path("to");
        var mv = new Command("mv", "Rename a memory; it keeps its ID and history.") { mvStore, from, to };
        mv.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => MoveAsync(s, p.GetRequiredValue(mvStore), p.GetRequiredValue(from), p.GetRequiredValue(to), ct), ct));

        var logStore = store();
        var logPath = new Argument<string?>("path") { Description = "Only the history of the memory at (or last at) this path.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit", "-n") { Description = "How many versions, newest first.", DefaultValueFactory = _ => 50 };
        var log = new Command("log", "Show the history: every change, who made it and when.") { logStore, logPath, limit };
        log.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => LogAsync(s, p.GetRequiredValue(logStore), p.GetValue(logPath), p.GetValue(limit), ct), ct));

        var diffStore = store();
        var diffVersion = version("version");
        var against = new Argument<string?>("other") { Description = "Compare with this version instead of the one before.", Arity = ArgumentArity.ZeroOrOne };
        var diff = new Command("diff", "Show what a version changed, as a unified diff.") { diffStore, diffVersion, against };
        diff.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => DiffAsync(s, p.GetRequiredValue(diffStore), p.GetRequiredValue(diffVersion), p.GetValue(against), ct), ct));

        var revertStore = store();
        var revertVersion = version("version");
        var revert = new Command("revert", "Put a memory back as it was at a version (recreating it if it was deleted); the revert is a new version.") { revertStore, revertVersion };
        revert.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => RevertAsync(s, p.GetRequiredValue(revertStore), p.GetRequiredValue(revertVersion), ct), ct));

        var redactStore = store();
        var redactVersion = version("version");
        var redact = new Command("redact", "Blank a version's content and path for good (for leaked secrets); records who did it.") { redactStore, redactVersion };
        redact.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => RedactAsync(s, p.GetRequiredValue(redactStore), p.GetRequiredValue(redactVersion), ct), ct));

        var pullStore = store();
        var pullDir = new Argument<string>("dir") { Description = "The folder to write the store's memories into, one file per memory." };
        var force = new Option<bool>("--force") { Description = "Overwrite files changed since the last pull." };
        var pull = new Command("pull", "Write a store into a folder of files, byte for byte, to review or edit (e.g. in git).") { pullStore, pullDir, force };
        pull.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => PullAsync(s, p.GetRequiredValue(pullStore), p.GetRequiredValue(pullDir), p.GetValue(force), ct), ct));

        var pushDir = new Argument<string>("dir") { Description = "A folder written by lucid memory pull (or any folder of markdown files)." };
        var pushStore = store();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the changes without applying them." };
        var push = new Command("push", "Apply a folder's changes to a store: shows the diff, then applies it all or nothing, refusing if the store changed meanwhile.") { pushDir, pushStore, dryRun };
        push.SetAction((p, ct) => Run(context, p.GetValue(workspace)!, s => PushAsync(s, p.GetRequiredValue(pushDir), p.GetRequiredValue(pushStore), p.GetValue(dryRun), ct), ct));

        return new Command("memory", "Read, edit, audit and sync memory stores.")
        {
            workspace, stores, ls, cat, write, edit, rm, mv, log, diff, revert, redact, pull, push,
        };
    }

    // ---------- plumbing ----------

    private sealed record Scope(CliContext Context, MemoryService Memory, string Workspace, MemoryActor Actor)
    {
        public IAnsiConsole Console => Context.Console;

        public int Fail(string message)
        {
            Console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
            return 1;
        }

        public int Fail(LucidError error) => Fail(error.Message);

        public async Task<MemoryStore?> StoreAsync(string nameOrId, CancellationToken cancellationToken)
        {
            if (nameOrId.StartsWith("memstore_", StringComparison.Ordinal))
            {
                var byId = await Memory.GetStoreAsync(Workspace, nameOrId, cancellationToken);
                if (byId.IsSuccess)
                {
                    return byId.Value;
                }
            }

            var matches = new List<MemoryStore>();
            string? cursor = null;
            do
            {
                var page = await Memory.Storage.ListMemoryStoresAsync(Workspace, new MemoryStoreQuery { IncludeArchived = true }, new PageRequest(100, cursor), cancellationToken);
                matches.AddRange(page.Items.Where(s => s.Name == nameOrId || MemoryPaths.Slug(s.Name) == nameOrId));
                cursor = page.NextPage;
            }
            while (cursor is not null);
            if (matches.Count == 1)
            {
                return matches[0];
            }

            Fail(matches.Count == 0
                ? $"no memory store '{nameOrId}' in workspace '{Workspace}'; see lucid memory stores."
                : $"{matches.Count} stores are named '{nameOrId}'; use an ID: {string.Join(", ", matches.Select(m => m.Id))}.");
            return null;
        }
    }

    private static async Task<int> Run(CliContext context, string workspace, Func<Scope, Task<int>> work, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var user = context.Environment.TryGetValue("USER", out var name) && !string.IsNullOrEmpty(name) ? name : Environment.UserName;
        return await work(new Scope(context, new MemoryService(store), workspace, MemoryActor.User($"user_{user}")));
    }

    private static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";

    // ---------- stores ----------

    private static async Task<int> ListStoresAsync(Scope s, bool all, CancellationToken cancellationToken)
    {
        var page = await s.Memory.Storage.ListMemoryStoresAsync(s.Workspace, new MemoryStoreQuery { IncludeArchived = all }, new PageRequest(100), cancellationToken);
        if (page.Items.Count == 0)
        {
            s.Console.MarkupLine("[grey]No memory stores yet. Create one with: lucid memory stores create NAME[/]");
            return 0;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Name", "Mount", "Memories", "Size", "Description", "Created");
        foreach (var store in page.Items)
        {
            var (count, bytes) = await s.Memory.Storage.MemoryTotalsAsync(store.Id, cancellationToken);
            table.AddRow(
                Markup.Escape(store.Id),
                Markup.Escape(store.Name + (store.ArchivedAt is null ? "" : " (archived)")),
                Markup.Escape($"{MemoryPaths.MountRoot}/{MemoryPaths.Slug(store.Name)}"),
                count.ToString(CultureInfo.InvariantCulture),
                Size(bytes),
                Markup.Escape(store.Description),
                When(store.CreatedAt));
        }

        s.Console.Write(table);
        return 0;
    }

    private static async Task<int> CreateStoreAsync(Scope s, string name, string? description, CancellationToken cancellationToken)
    {
        var created = await s.Memory.CreateStoreAsync(s.Workspace, name, description, null, cancellationToken);
        if (!created.IsSuccess)
        {
            return s.Fail(created.Error);
        }

        s.Console.MarkupLine($"Created memory store [bold]{Markup.Escape(created.Value.Id)}[/] ({Markup.Escape(name)}); sessions mount it at {MemoryPaths.MountRoot}/{Markup.Escape(MemoryPaths.Slug(name))}.");
        return 0;
    }

    private static async Task<int> ArchiveStoreAsync(Scope s, string nameOrId, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var archived = await s.Memory.ArchiveStoreAsync(s.Workspace, store.Id, cancellationToken);
        if (!archived.IsSuccess)
        {
            return s.Fail(archived.Error);
        }

        s.Console.MarkupLine($"Archived {Markup.Escape(store.Id)} ({Markup.Escape(store.Name)}).");
        return 0;
    }

    // ---------- memories ----------

    private static async Task<int> ListAsync(Scope s, string nameOrId, string? prefix, bool recursive, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var normalized = prefix is null or "/" ? "/" : prefix.EndsWith('/') ? prefix : prefix + "/";
        var table = new Table().Border(TableBorder.Simple).AddColumns("Path", "Size", "SHA-256", "Updated", "ID");
        string? cursor = null;
        var rows = 0;
        do
        {
            var page = await s.Memory.ListMemoriesAsync(s.Workspace, store.Id, normalized, recursive ? 0 : 1, false, new PageRequest(100, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return s.Fail(page.Error);
            }

            foreach (var item in page.Value.Items)
            {
                rows++;
                if (item.Memory is { } m)
                {
                    table.AddRow(Markup.Escape(m.Path), Size(m.ContentSizeBytes), m.ContentSha256[..12], When(m.UpdatedAt), Markup.Escape(m.Id));
                }
                else
                {
                    table.AddRow($"[blue]{Markup.Escape(item.Key)}[/]", "", "", "", "");
                }
            }

            cursor = page.Value.NextPage;
        }
        while (cursor is not null);

        if (rows == 0)
        {
            s.Console.MarkupLine($"[grey]No memories under {Markup.Escape(normalized)} in {Markup.Escape(store.Name)}.[/]");
            return 0;
        }

        s.Console.Write(table);
        return 0;
    }

    private static async Task<int> CatAsync(Scope s, string nameOrId, string path, string? versionId, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        string? text;
        if (versionId is not null)
        {
            var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
            if (!version.IsSuccess)
            {
                return s.Fail(version.Error);
            }

            text = version.Value.RedactedAt is not null ? null : version.Value.Content;
            if (text is null)
            {
                return s.Fail($"version {versionId} has no content ({(version.Value.RedactedAt is null ? "it records a deletion" : "it was redacted")}).");
            }
        }
        else
        {
            var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
            if (!memory.IsSuccess)
            {
                return s.Fail(memory.Error);
            }

            text = memory.Value.Content ?? "";
        }

        // Exactly the stored text: no markup, no added newline.
        s.Console.Profile.Out.Writer.Write(text);
        s.Console.Profile.Out.Writer.Flush();
        return 0;
    }

    private static async Task<int> WriteAsync(Scope s, string nameOrId, string path, string? file, string? inline, string? ifSha, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        if (file is not null && inline is not null)
        {
            return s.Fail("give the content with --file or --content, not both.");
        }

        var text = inline ?? (file is not null ? await File.ReadAllTextAsync(file, cancellationToken) : await Console.In.ReadToEndAsync(cancellationToken));
        var written = await s.Memory.WriteAtPathAsync(s.Workspace, store.Id, path, text, ifSha, s.Actor, cancellationToken);
        if (!written.IsSuccess)
        {
            return s.Fail(written.Error);
        }

        s.Console.MarkupLine($"Wrote {Markup.Escape(path)} ({Size(written.Value.ContentSizeBytes)}, sha256 {written.Value.ContentSha256[..12]}, version {Markup.Escape(written.Value.VersionId)}).");
        return 0;
    }

    private static async Task<int> EditAsync(Scope s, string nameOrId, string path, string oldText, string newText, bool all, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
        if (!memory.IsSuccess)
        {
            return s.Fail(memory.Error);
        }

        var text = memory.Value.Content ?? "";
        var count = oldText.Length == 0 ? 0 : TextEdit.Count(text, oldText);
        if (count == 0 || (count > 1 && !all))
        {
            return s.Fail(count == 0 ? $"--old was not found in {path}." : $"--old occurs {count} times in {path}; make it unique or pass --all.");
        }

        var updated = TextEdit.Replace(text, oldText, newText, all);
        var written = await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, memory.Value.Id, updated, null, memory.Value.ContentSha256, s.Actor, cancellationToken);
        if (!written.IsSuccess)
        {
            return s.Fail(written.Error);
        }

        TextDiff.Write(s.Console, TextDiff.Unified(text, updated, path, path));
        s.Console.MarkupLine($"Edited {Markup.Escape(path)} (version {Markup.Escape(written.Value.VersionId)}).");
        return 0;
    }

    private static async Task<int> RemoveAsync(Scope s, string nameOrId, string path, string? ifSha, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
        var deleted = memory.IsSuccess ? await s.Memory.DeleteMemoryAsync(s.Workspace, store.Id, memory.Value.Id, ifSha, s.Actor, cancellationToken) : memory.Error;
        if (!deleted.IsSuccess)
        {
            return s.Fail(deleted.Error);
        }

        s.Console.MarkupLine($"Deleted {Markup.Escape(path)} ({Markup.Escape(deleted.Value)}); lucid memory log shows its history.");
        return 0;
    }

    private static async Task<int> MoveAsync(Scope s, string nameOrId, string from, string to, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, from, cancellationToken);
        var moved = memory.IsSuccess ? await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, memory.Value.Id, null, to, null, s.Actor, cancellationToken) : memory.Error;
        if (!moved.IsSuccess)
        {
            return s.Fail(moved.Error);
        }

        s.Console.MarkupLine($"Renamed {Markup.Escape(from)} to {Markup.Escape(to)}.");
        return 0;
    }

    // ---------- history ----------

    private static async Task<int> LogAsync(Scope s, string nameOrId, string? path, int limit, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var query = new MemoryVersionQuery { IncludeContent = false };
        if (path is not null)
        {
            var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
            var memoryId = memory.IsSuccess ? memory.Value.Id : await LastMemoryAtAsync(s, store.Id, path, cancellationToken);
            if (memoryId is null)
            {
                return s.Fail($"no memory is or was at {path}.");
            }

            query = query with { MemoryId = memoryId };
        }

        var page = await s.Memory.ListVersionsAsync(s.Workspace, store.Id, query, new PageRequest(Math.Clamp(limit, 1, 100)), cancellationToken);
        if (!page.IsSuccess)
        {
            return s.Fail(page.Error);
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("Version", "When", "Change", "Path", "Size", "By");
        foreach (var v in page.Value.Items)
        {
            table.AddRow(
                Markup.Escape(v.Id),
                When(v.CreatedAt),
                v.Operation.ToString().ToLowerInvariant(),
                v.RedactedAt is null ? Markup.Escape(v.Path ?? "") : $"[grey](redacted by {Markup.Escape(v.RedactedBy?.ToString() ?? "?")})[/]",
                v.ContentSizeBytes is { } size ? Size(size) : "",
                Markup.Escape(v.CreatedBy.ToString()));
        }

        s.Console.Write(table);
        return 0;
    }

    private static async Task<string?> LastMemoryAtAsync(Scope s, string storeId, string path, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await s.Memory.ListVersionsAsync(s.Workspace, storeId, new MemoryVersionQuery { IncludeContent = false }, new PageRequest(100, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return null;
            }

            if (page.Value.Items.FirstOrDefault(v => v.Path == path) is { } hit)
            {
                return hit.MemoryId;
            }

            cursor = page.Value.NextPage;
        }
        while (cursor is not null);
        return null;
    }

    private static async Task<int> DiffAsync(Scope s, string nameOrId, string versionId, string? otherId, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return s.Fail(version.Error);
        }

        MemoryVersion? before;
        if (otherId is not null)
        {
            var other = await s.Memory.GetVersionAsync(s.Workspace, store.Id, otherId, cancellationToken);
            if (!other.IsSuccess)
            {
                return s.Fail(other.Error);
            }

            before = other.Value;
        }
        else
        {
            before = await PreviousAsync(s, store.Id, version.Value, cancellationToken);
        }

        var diff = TextDiff.Unified(
            before?.Content, version.Value.Content, before is null ? "/dev/null" : $"{before.Path ?? "(redacted)"} @ {before.Id}", $"{version.Value.Path ?? "(redacted)"} @ {version.Value.Id}");
        s.Console.MarkupLine($"[bold]{Markup.Escape(version.Value.Id)}[/] {version.Value.Operation.ToString().ToLowerInvariant()} by {Markup.Escape(version.Value.CreatedBy.ToString())} at {When(version.Value.CreatedAt)}");
        if (before?.Path is { } oldPath && version.Value.Path is { } newPath && oldPath != newPath)
        {
            s.Console.MarkupLine($"renamed {Markup.Escape(oldPath)} → {Markup.Escape(newPath)}");
        }

        if (diff.Length == 0)
        {
            s.Console.MarkupLine("[grey](no change in content)[/]");
        }
        else
        {
            TextDiff.Write(s.Console, diff);
        }

        return 0;
    }

    private static async Task<MemoryVersion?> PreviousAsync(Scope s, string storeId, MemoryVersion version, CancellationToken cancellationToken)
    {
        string? cursor = null;
        var seen = false;
        do
        {
            var page = await s.Memory.ListVersionsAsync(s.Workspace, storeId, new MemoryVersionQuery { MemoryId = version.MemoryId }, new PageRequest(20, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return null;
            }

            foreach (var v in page.Value.Items)
            {
                if (seen)
                {
                    return v;
                }

                seen = v.Id == version.Id;
            }

            cursor = page.Value.NextPage;
        }
        while (cursor is not null);
        return null;
    }

    private static async Task<int> RevertAsync(Scope s, string nameOrId, string versionId, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return s.Fail(version.Error);
        }

        if (version.Value is not { Content: { } content, Path: { } path })
        {
            return s.Fail($"version {versionId} has no content to go back to ({(version.Value.RedactedAt is null ? "it records a deletion; revert the version before it" : "it was redacted")}).");
        }

        var current = await s.Memory.GetMemoryAsync(s.Workspace, store.Id, version.Value.MemoryId, cancellationToken);
        var reverted = current.IsSuccess
            ? await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, current.Value.Id, content, path, current.Value.ContentSha256, s.Actor, cancellationToken)
            : await s.Memory.CreateMemoryAsync(s.Workspace, store.Id, path, content, s.Actor, cancellationToken);
        if (!reverted.IsSuccess)
        {
            return s.Fail(reverted.Error);
        }

        s.Console.MarkupLine(current.IsSuccess
            ? $"Reverted {Markup.Escape(path)} to {Markup.Escape(versionId)} (new version {Markup.Escape(reverted.Value.VersionId)})."
            : $"Recreated {Markup.Escape(path)} from {Markup.Escape(versionId)} as {Markup.Escape(reverted.Value.Id)} (the deleted memory's history stays under its old ID).");
        return 0;
    }

    private static async Task<int> RedactAsync(Scope s, string nameOrId, string versionId, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var redacted = await s.Memory.RedactVersionAsync(s.Workspace, store.Id, versionId, s.Actor, cancellationToken);
        if (!redacted.IsSuccess)
        {
            return s.Fail(redacted.Error);
        }

        s.Console.MarkupLine($"Redacted {Markup.Escape(versionId)}: its content and path are gone for good.");
        return 0;
    }

    // ---------- sync ----------

    private static async Task<int> PullAsync(Scope s, string nameOrId, string directory, bool force, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var folder = new MemoryFolder(directory);
        Directory.CreateDirectory(folder.Directory);
        var manifest = folder.ReadManifest();
        var previous = manifest is { } m && m.StoreId == store.Id ? m.Hashes : new Dictionary<string, string>(StringComparer.Ordinal);
        var (files, _) = folder.ReadFiles();
        if (!force)
        {
            // Pulling over local edits (or over files that are not a pull of this store) would lose them: refuse, naming them.
            var edited = MemoryFolder.Plan(files, previous).Select(e => e.Path).ToList();
            if (edited.Count > 0)
            {
                return s.Fail(manifest is { } pulledFrom && pulledFrom.StoreId == store.Id
                    ? $"{folder.Directory} has changes not pushed ({string.Join(", ", edited.Take(5))}{(edited.Count > 5 ? ", …" : "")}); push them, or pull with --force to overwrite."
                    : $"{folder.Directory} already holds files that are not a pull of {store.Name}; pull into an empty folder, or pass --force.");
            }
        }

        var memories = await s.Memory.ReadAllAsync(s.Workspace, store.Id, "/", includeContent: true, cancellationToken);
        if (!memories.IsSuccess)
        {
            return s.Fail(memories.Error);
        }

        foreach (var memory in memories.Value)
        {
            folder.Write(memory.Path, memory.Content ?? "");
        }

        var gone = previous.Keys.Where(p => memories.Value.All(m => m.Path != p)).ToList();
        foreach (var path in gone)
        {
            File.Delete(folder.FileOf(path));
        }

        folder.WriteManifest(store.Id, memories.Value.ToDictionary(m => m.Path, m => m.ContentSha256, StringComparer.Ordinal));
        s.Console.MarkupLine($"Pulled {memories.Value.Count} memories of {Markup.Escape(store.Name)} into {Markup.Escape(folder.Directory)}{(gone.Count > 0 ? $" ({gone.Count} deleted since the last pull removed)" : "")}.");
        return 0;
    }

    private static async Task<int> PushAsync(Scope s, string directory, string nameOrId, bool dryRun, CancellationToken cancellationToken)
    {
        if (await s.StoreAsync(nameOrId, cancellationToken) is not { } store)
        {
            return 1;
        }

        var folder = new MemoryFolder(directory);
        var (files, problems) = folder.ReadFiles();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                s.Console.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
            }

            return s.Fail($"{problems.Count} file(s) cannot be memories; fix or remove them. Nothing was pushed.");
        }

        var manifest = folder.ReadManifest();
        var pulled = manifest is { } m && m.StoreId == store.Id ? m.Hashes : new Dictionary<string, string>(StringComparer.Ordinal);
        var edits = MemoryFolder.Plan(files, pulled);
        if (edits.Count == 0)
        {
            s.Console.MarkupLine($"Nothing to push: {Markup.Escape(folder.Directory)} matches what was pulled from {Markup.Escape(store.Name)}.");
            return 0;
        }

        foreach (var edit in edits)
        {
            var current = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, edit.Path, cancellationToken);
            var before = current.IsSuccess && (edit.ExpectedSha256 is null || current.Value.ContentSha256 == edit.ExpectedSha256) ? current.Value.Content : null;
            s.Console.MarkupLine($"[bold]{edit.Kind.ToString().ToLowerInvariant()}[/] {Markup.Escape(edit.Path)}");
            var diff = TextDiff.Unified(before, edit.Content, edit.Kind == MemoryEditKind.Create ? "/dev/null" : "a" + edit.Path, edit.Kind == MemoryEditKind.Delete ? "/dev/null" : "b" + edit.Path);
            if (diff.Length > 0)
            {
                TextDiff.Write(s.Console, diff);
            }
        }

        if (dryRun)
        {
            s.Console.MarkupLine($"[grey]Dry run: {edits.Count} change(s) not applied.[/]");
            return 0;
        }

        var applied = await s.Memory.ApplyEditsAsync(s.Workspace, store.Id, edits, s.Actor, cancellationToken);
        if (!applied.IsSuccess)
        {
            return s.Fail($"{applied.Error.Message} The store changed since the pull; pull again (your files are kept unless you --force), merge, and push.");
        }

        var hashes = new Dictionary<string, string>(pulled, StringComparer.Ordinal);
        for (var i = 0; i < edits.Count; i++)
        {
            if (applied.Value[i] is { } written)
            {
                hashes[written.Path] = written.ContentSha256;
            }
            else
            {
                hashes.Remove(edits[i].Path);
            }
        }

        folder.WriteManifest(store.Id, hashes);
        s.Console.MarkupLine($"Pushed {edits.Count} change(s) to {Markup.Escape(store.Name)}.");
        return 0;
    }
}
