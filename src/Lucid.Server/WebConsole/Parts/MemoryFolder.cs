using Lucid.Memory;

namespace Lucid.Server.WebConsole.Parts;

/// <summary>A folder of a store's memory tree: the memories directly in it and its subfolders, both in path order.</summary>
/// <param name="Name">The folder's own name (empty for the root).</param>
/// <param name="Path">Its full path, ending in <c>/</c>.</param>
public sealed record MemoryFolder(string Name, string Path)
{
    /// <summary>Its subfolders.</summary>
    public List<MemoryFolder> Folders { get; } = [];

    /// <summary>The memories directly in it.</summary>
    public List<MemoryDocument> Memories { get; } = [];

    /// <summary>The tree of memories listed in path order.</summary>
    public static MemoryFolder Of(IEnumerable<MemoryDocument> memories)
    {
        var root = new MemoryFolder("", "/");
        foreach (var memory in memories)
        {
            var folder = root;
            var segments = memory.Path.Trim('/').Split('/');
            foreach (var segment in segments[..^1])
            {
                var path = folder.Path + segment + "/";
                var next = folder.Folders.Find(f => f.Path == path);
                if (next is null)
                {
                    next = new MemoryFolder(segment, path);
                    folder.Folders.Add(next);
                }

                folder = next;
            }

            folder.Memories.Add(memory);
        }

        return root;
    }

    /// <summary>The last segment of a memory's path.</summary>
    public static string FileName(MemoryDocument memory) => memory.Path[(memory.Path.LastIndexOf('/') + 1)..];
}
