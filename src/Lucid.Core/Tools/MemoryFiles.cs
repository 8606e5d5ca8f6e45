using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lucid.Memory;
using Lucid.Results;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Lucid.Tools;

/// <summary>What the file tools do with paths under <c>/mnt/memory</c>: they read and write the mounted stores.</summary>
internal static class MemoryFiles
{
    /// <summary>The mounted target of a tool path, an error for a memory path nothing is mounted at, or null for other paths.</summary>
    public static Result<(MemoryMounts Mounts, MemoryTarget Target)>? Route(ToolContext context, string path)
    {
        if (!MemoryRecall.IsMemoryPath(path.TrimEnd('/')) && path != MemoryPaths.MountRoot + "/")
        {
            return null;
        }

        if (context.Memory is not { } mounts || mounts.Find(path) is not { } target)
        {
            return LucidError.Invalid("path", $"No memory store is mounted in this session, so '{path}' does not exist.");
        }

        if (target.Mount is null && target.MemoryPath is not null)
        {
            var known = string.Join(", ", mounts.Resources.Select(r => r.MountPath));
            return LucidError.Invalid("path", $"'{path}' is not inside a mounted memory store; the stores are at {known}.");
        }

        return (mounts, target);
    }

    public static async Task<ToolResult> ReadAsync(MemoryMounts mounts, MemoryTarget target, string shown, long[]? range, ToolContext context, CancellationToken cancellationToken)
    {
        if (target.Mount is not { } mount)
        {
            return ToolResult.Ok(string.Join("\n", mounts.Resources.Select(r => r.MountPath[(MemoryPaths.MountRoot.Length + 1)..] + "/")));
        }

        if (target.MemoryPath is { } path)
        {
            var found = await mounts.Service.FindMemoryAsync(mounts.WorkspaceId, mount.MemoryStoreId, path, cancellationToken);
            if (found.IsSuccess)
            {
                var lines = (found.Value.Content ?? "").Split('\n');
                if (lines.Length > 0 && lines[^1].Length == 0)
                {
                    lines = lines[..^1];
                }

                var body = ToolOutput.NumberedLines(lines, range, context.Limits.MaxOutputChars);
                return ToolResult.Ok(MemoryRecall.Wrap(mount.MountPath + path, found.Value.VersionId, body));
            }
        }

        var listing = await mounts.Service.ListMemoriesAsync(
            mounts.WorkspaceId, mount.MemoryStoreId, target.MemoryPath is null ? "/" : target.MemoryPath + "/", 1, false, new Storage.PageRequest(100), cancellationToken);
        if (!listing.IsSuccess)
        {
            return ToolResult.Fail($"read: {listing.Error.Message}");
        }

        if (listing.Value.Items.Count == 0)
        {
            return target.MemoryPath is null ? ToolResult.Ok("(the memory store is empty)") : ToolResult.Fail($"read: '{shown}' does not exist.");
        }

        var start = (target.MemoryPath ?? "").Length + 1;
        var names = listing.Value.Items.Select(i => i.Key[start..]);
        return ToolResult.Ok(string.Join("\n", names) + (listing.Value.NextPage is null ? "" : "\n… more entries; use glob to list them all"));
    }

    public static async Task<ToolResult> WriteAsync(MemoryMounts mounts, MemoryTarget target, string shown, string content, CancellationToken cancellationToken)
    {
        if (Writable("write", target, shown) is { } refused)
        {
            return refused;
        }

        var mount = target.Mount!;
        var written = await mounts.Service.WriteAtPathAsync(mounts.WorkspaceId, mount.MemoryStoreId, target.MemoryPath!, content, null, mounts.Actor, cancellationToken);
        return written.IsSuccess
            ? ToolResult.Ok(string.Create(CultureInfo.InvariantCulture, $"Wrote {written.Value.ContentSizeBytes:N0} bytes to memory {shown} (version {written.Value.VersionId})."))
            : ToolResult.Fail($"write: {written.Error.Message}");
    }

    public static async Task<ToolResult> EditAsync(
        MemoryMounts mounts, MemoryTarget target, string shown, string oldString, string newString, bool replaceAll, CancellationToken cancellationToken)
    {
        if (Writable("edit", target, shown) is { } refused)
        {
            return refused;
        }

        var mount = target.Mount!;
        var found = await mounts.Service.FindMemoryAsync(mounts.WorkspaceId, mount.MemoryStoreId, target.MemoryPath!, cancellationToken);
        if (!found.IsSuccess)
        {
            return ToolResult.Fail($"edit: '{shown}' does not exist.");
        }

        var text = found.Value.Content ?? "";
        var count = TextEdit.Count(text, oldString);
        if (count == 0)
        {
            return ToolResult.Fail($"edit: old_string was not found in '{shown}'.");
        }

        if (count > 1 && !replaceAll)
        {
            return ToolResult.Fail($"edit: old_string occurs {count} times in '{shown}'; make it unique or set replace_all.");
        }

        var updated = TextEdit.Replace(text, oldString, newString, replaceAll);

        // The precondition makes a concurrent change (another session, a person) fail this edit instead of being lost.
        var written = await mounts.Service.UpdateMemoryAsync(
            mounts.WorkspaceId, mount.MemoryStoreId, found.Value.Id, updated, null, found.Value.ContentSha256, mounts.Actor, cancellationToken);
        return written.IsSuccess
            ? ToolResult.Ok($"Replaced {(replaceAll ? count : 1)} occurrence(s) in memory {shown} (version {written.Value.VersionId}).")
            : ToolResult.Fail($"edit: {written.Error.Message}");
    }

    public static async Task<ToolResult> GlobAsync(MemoryMounts mounts, MemoryTarget target, string pattern, CancellationToken cancellationToken)
    {
        var files = await FilesAsync(mounts, target, includeContent: false, cancellationToken);
        if (!files.IsSuccess)
        {
            return ToolResult.Fail($"glob: {files.Error.Message}");
        }

        var root = Root(target);
        var matcher = new Matcher(StringComparison.Ordinal).AddInclude(pattern);
        var matched = files.Value
            .Select(f => f.FullPath)
            .Where(p => matcher.Match(root, [p]).HasMatches)
            .ToList();
        return ToolResult.Ok(matched.Count == 0 ? "No files match." : string.Join("\n", matched));
    }

    public static async Task<ToolResult> GrepAsync(MemoryMounts mounts, MemoryTarget target, Regex regex, string? glob, ToolContext context, CancellationToken cancellationToken)
    {
        var files = await FilesAsync(mounts, target, includeContent: true, cancellationToken);
        if (!files.IsSuccess)
        {
            return ToolResult.Fail($"grep: {files.Error.Message}");
        }

        var root = Root(target);
        var matcher = glob is null ? null : new Matcher(StringComparison.Ordinal).AddInclude(glob);
        var output = new StringBuilder();
        foreach (var (fullPath, memory) in files.Value)
        {
            if (matcher is not null && !matcher.Match(root, [fullPath]).HasMatches)
            {
                continue;
            }

            var number = 0;
            foreach (var line in (memory.Content ?? "").Split('\n'))
            {
                number++;
                if (regex.IsMatch(line))
                {
                    output.Append(CultureInfo.InvariantCulture, $"{fullPath}:{number}:{line}\n");
                }
            }
        }

        return output.Length == 0
            ? ToolResult.Ok("No matches.")
            : ToolResult.Ok(MemoryRecall.Wrap(root, null, ToolOutput.Limit(output.ToString(), context.Limits.MaxOutputChars)));
    }

    private static ToolResult? Writable(string tool, MemoryTarget target, string shown) =>
        target.Mount is not { } mount || target.MemoryPath is null ? ToolResult.Fail($"{tool}: '{shown}' is a directory.")
        : mount.Access == MemoryAccess.ReadOnly ? ToolResult.Fail($"{tool}: the memory store at {mount.MountPath} is mounted read-only in this session; it cannot be changed here.")
        : null;

    private static string Root(MemoryTarget target) =>
        target.Mount is null ? MemoryPaths.MountRoot : target.Mount.MountPath + (target.MemoryPath ?? "");

    // Every memory at or below the target, with its full tool path.
    private static async Task<Result<List<(string FullPath, MemoryDocument Memory)>>> FilesAsync(
        MemoryMounts mounts, MemoryTarget target, bool includeContent, CancellationToken cancellationToken)
    {
        var result = new List<(string, MemoryDocument)>();
        foreach (var mount in target.Mount is { } only ? [only] : mounts.Resources)
        {
            var prefix = target.Mount is null || target.MemoryPath is null ? "/" : target.MemoryPath + "/";
            if (target.MemoryPath is { } exact && target.Mount is not null)
            {
                var single = await mounts.Service.FindMemoryAsync(mounts.WorkspaceId, mount.MemoryStoreId, exact, cancellationToken);
                if (single.IsSuccess)
                {
                    result.Add((mount.MountPath + exact, single.Value));
                    continue;
                }
            }

            var memories = await mounts.Service.ReadAllAsync(mounts.WorkspaceId, mount.MemoryStoreId, prefix, includeContent, cancellationToken);
            if (!memories.IsSuccess)
            {
                return memories.Error;
            }

            result.AddRange(memories.Value.Select(m => (mount.MountPath + m.Path, m)));
        }

        return result;
    }
}
