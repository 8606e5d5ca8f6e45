using System.Globalization;
using System.Text;

namespace Lucid.Memory;

/// <summary>
/// The memory stores a session has mounted under <c>/mnt/memory/</c>, as the file tools see them: reads come from the
/// store, and writes go through it as versions authored by the session.
/// </summary>
public sealed class MemoryMounts
{
    /// <summary>The most paths per store listed in the system prompt.</summary>
    public const int MaxListedPaths = 200;

    /// <summary>Creates the mounts of one session.</summary>
    public MemoryMounts(MemoryService service, string workspaceId, MemoryActor actor, IReadOnlyList<MemoryStoreResource> resources, string? taskId = null)
    {
        Service = service;
        WorkspaceId = workspaceId;
        Actor = actor;
        Resources = resources;
        TaskId = taskId;
    }

    /// <summary>The memory service the mounts read and write through.</summary>
    public MemoryService Service { get; }

    /// <summary>The tenant workspace of the session.</summary>
    public string WorkspaceId { get; }

    /// <summary>Who the writes are recorded as.</summary>
    public MemoryActor Actor { get; }

    /// <summary>The mounted stores.</summary>
    public IReadOnlyList<MemoryStoreResource> Resources { get; }

    /// <summary>The session's task (<see cref="Sessions.SessionTasks"/>): other tasks' lessons (<see cref="TaskLessons"/>) are not listed.</summary>
    public string? TaskId { get; }

    /// <summary>
    /// Where a tool path points: null when it is not under <c>/mnt/memory</c>; otherwise the mount (null for
    /// <c>/mnt/memory</c> itself) and the memory path inside it (null for the mount's root).
    /// </summary>
    public MemoryTarget? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (!MemoryRecall.IsMemoryPath(trimmed))
        {
            return null;
        }

        if (trimmed == MemoryPaths.MountRoot)
        {
            return new MemoryTarget(null, null);
        }

        foreach (var mount in Resources)
        {
            if (trimmed == mount.MountPath)
            {
                return new MemoryTarget(mount, null);
            }

            if (trimmed.StartsWith(mount.MountPath + "/", StringComparison.Ordinal))
            {
                return new MemoryTarget(mount, trimmed[mount.MountPath.Length..]);
            }
        }

        return new MemoryTarget(null, trimmed);
    }

    /// <summary>The memory section of the system prompt: each store's description, instructions and paths.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            <memory_stores>
            Memory stores are mounted under {MemoryPaths.MountRoot}/. They hold lessons and notes kept across sessions. Use the read, write, edit, glob and grep tools on these paths (bash cannot see them). Every write is recorded with this session as its author.

            """);
        foreach (var mount in Resources)
        {
            text.Append(CultureInfo.InvariantCulture, $"## {mount.MountPath} ({mount.Name}, {(mount.Access == MemoryAccess.ReadOnly ? "read-only" : "read-write")})\n");
            if (mount.Description.Length > 0)
            {
                text.Append(mount.Description).Append('\n');
            }

            if (mount.Instructions is { Length: > 0 } instructions)
            {
                text.Append(instructions).Append('\n');
            }

            var page = await Service.ListMemoriesAsync(WorkspaceId, mount.MemoryStoreId, "/", 0, false, new Storage.PageRequest(MaxListedPaths), cancellationToken);
            if (!page.IsSuccess)
            {
                text.Append("(the store is no longer available)\n\n");
                continue;
            }

            var listed = page.Value.Items.Where(item => !TaskLessons.IsOtherTasks(item.Key, TaskId)).ToList();
            if (listed.Count == 0)
            {
                text.Append("(empty)\n");
            }

            foreach (var item in listed)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {mount.MountPath}{item.Key} ({item.Memory?.ContentSizeBytes ?? 0:N0} bytes)\n");
            }

            if (page.Value.NextPage is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"- … more than {MaxListedPaths} memories; use glob on {mount.MountPath} to see the rest\n");
            }

            text.Append('\n');
        }

        return text.Append("</memory_stores>").ToString();
    }
}
