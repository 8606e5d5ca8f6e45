using System.Globalization;
using Lucid.Memory;
using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>What the <c>lucid memory</c> verbs print: tables of stores, memories and versions, diffs, and one line per change made.</summary>
internal static class MemoryRenderer
{
    public static void Error(IAnsiConsole console, string message) => console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");

    /// <summary>The stores table: each store with its memory count and total size.</summary>
    public static void Stores(IAnsiConsole console, IReadOnlyList<(MemoryStore Store, int Count, long Bytes)> rows)
    {
        if (rows.Count == 0)
        {
            console.MarkupLine("[grey]No memory stores yet. Create one with: lucid memory stores create NAME[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Name", "Mount", "Memories", "Size", "Description", "Created");
        foreach (var (store, count, bytes) in rows)
        {
            table.AddRow(
                Markup.Escape(store.Id),
                Markup.Escape(store.Name + (store.ArchivedAt is null ? "" : " (archived)")),
                Markup.Escape(MountPath(store)),
                count.ToString(CultureInfo.InvariantCulture),
                Size(bytes),
                Markup.Escape(store.Description),
                When(store.CreatedAt));
        }

        console.Write(table);
    }

    public static void StoreCreated(IAnsiConsole console, MemoryStore store) =>
        console.MarkupLine($"Created memory store [bold]{Markup.Escape(store.Id)}[/] ({Markup.Escape(store.Name)}); sessions mount it at {Markup.Escape(MountPath(store))}.");

    public static void StoreArchived(IAnsiConsole console, MemoryStore store) =>
        console.MarkupLine($"Archived {Markup.Escape(store.Id)} ({Markup.Escape(store.Name)}).");

    public static void Listing(IAnsiConsole console, MemoryStore store, string prefix, IReadOnlyList<MemoryListItem> items)
    {
        if (items.Count == 0)
        {
            console.MarkupLine($"[grey]No memories under {Markup.Escape(prefix)} in {Markup.Escape(store.Name)}.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("Path", "Size", "SHA-256", "Updated", "ID");
        foreach (var item in items)
        {
            if (item.Memory is { } m)
            {
                table.AddRow(Markup.Escape(m.Path), Size(m.ContentSizeBytes), m.ContentSha256[..12], When(m.UpdatedAt), Markup.Escape(m.Id));
            }
            else
            {
                table.AddRow($"[blue]{Markup.Escape(item.Key)}[/]", "", "", "", "");
            }
        }

        console.Write(table);
    }

    /// <summary>Exactly the text: no markup, no added newline.</summary>
    public static void Exactly(IAnsiConsole console, string text)
    {
        console.Profile.Out.Writer.Write(text);
        console.Profile.Out.Writer.Flush();
    }

    public static void Written(IAnsiConsole console, string path, MemoryDocument memory) =>
        console.MarkupLine($"Wrote {Markup.Escape(path)} ({Size(memory.ContentSizeBytes)}, sha256 {memory.ContentSha256[..12]}, version {Markup.Escape(memory.VersionId)}).");

    public static void Edited(IAnsiConsole console, string path, string diff, MemoryDocument memory)
    {
        TextDiff.Write(console, diff);
        console.MarkupLine($"Edited {Markup.Escape(path)} (version {Markup.Escape(memory.VersionId)}).");
    }

    public static void Deleted(IAnsiConsole console, string path, string memoryId) =>
        console.MarkupLine($"Deleted {Markup.Escape(path)} ({Markup.Escape(memoryId)}); lucid memory log shows its history.");

    public static void Renamed(IAnsiConsole console, string from, string to) =>
        console.MarkupLine($"Renamed {Markup.Escape(from)} to {Markup.Escape(to)}.");

    public static void Log(IAnsiConsole console, IEnumerable<MemoryVersion> versions)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("Version", "When", "Change", "Path", "Size", "By");
        foreach (var v in versions)
        {
            table.AddRow(
                Markup.Escape(v.Id),
                When(v.CreatedAt),
                v.Operation.ToString().ToLowerInvariant(),
                v.RedactedAt is null ? Markup.Escape(v.Path ?? "") : $"[grey](redacted by {Markup.Escape(v.RedactedBy?.ToString() ?? "?")})[/]",
                v.ContentSizeBytes is { } size ? Size(size) : "",
                Markup.Escape(v.CreatedBy.ToString()));
        }

        console.Write(table);
    }

    public static void Diff(IAnsiConsole console, MemoryVersionDiff diff)
    {
        var version = diff.Version;
        console.MarkupLine($"[bold]{Markup.Escape(version.Id)}[/] {version.Operation.ToString().ToLowerInvariant()} by {Markup.Escape(version.CreatedBy.ToString())} at {When(version.CreatedAt)}");
        if (diff.Rename is { } rename)
        {
            console.MarkupLine($"renamed {Markup.Escape(rename.From)} → {Markup.Escape(rename.To)}");
        }

        if (diff.Unified.Length == 0)
        {
            console.MarkupLine("[grey](no change in content)[/]");
        }
        else
        {
            TextDiff.Write(console, diff.Unified);
        }
    }

    public static void Reverted(IAnsiConsole console, MemoryRevert revert) =>
        console.MarkupLine(revert switch
        {
            { Target: { } target, Memory: { } memory, Recreated: true } =>
                $"Recreated {Markup.Escape(memory.Path)} from {Markup.Escape(target.Id)} as {Markup.Escape(memory.Id)} (the deleted memory's history stays under its old ID).",
            { Target: { } target, Memory: { } memory } =>
                $"Reverted {Markup.Escape(memory.Path)} to {Markup.Escape(target.Id)} (new version {Markup.Escape(memory.VersionId)}).",
            _ => $"Deleted {Markup.Escape(revert.MemoryId)}: it did not exist yet at that point.",
        });

    public static void Redacted(IAnsiConsole console, string versionId) =>
        console.MarkupLine($"Redacted {Markup.Escape(versionId)}: its content and path are gone for good.");

    public static void Pulled(IAnsiConsole console, MemoryStore store, string directory, int count, int removed) =>
        console.MarkupLine($"Pulled {count} memories of {Markup.Escape(store.Name)} into {Markup.Escape(directory)}{(removed > 0 ? $" ({removed} deleted since the last pull removed)" : "")}.");

    public static void NothingToPush(IAnsiConsole console, MemoryStore store, string directory) =>
        console.MarkupLine($"Nothing to push: {Markup.Escape(directory)} matches what was pulled from {Markup.Escape(store.Name)}.");

    /// <summary>One change a push makes: its kind and path, then its diff.</summary>
    public static void PushEdit(IAnsiConsole console, MemoryEdit edit, string diff)
    {
        console.MarkupLine($"[bold]{edit.Kind.ToString().ToLowerInvariant()}[/] {Markup.Escape(edit.Path)}");
        if (diff.Length > 0)
        {
            TextDiff.Write(console, diff);
        }
    }

    public static void DryRun(IAnsiConsole console, int changes) => console.MarkupLine($"[grey]Dry run: {changes} change(s) not applied.[/]");

    public static void Pushed(IAnsiConsole console, MemoryStore store, int changes) => console.MarkupLine($"Pushed {changes} change(s) to {Markup.Escape(store.Name)}.");

    private static string MountPath(MemoryStore store) => $"{MemoryPaths.MountRoot}/{MemoryPaths.Slug(store.Name)}";

    private static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
