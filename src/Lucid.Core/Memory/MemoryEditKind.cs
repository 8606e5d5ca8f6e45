namespace Lucid.Memory;

/// <summary>The kinds of <see cref="MemoryEdit"/>.</summary>
public enum MemoryEditKind
{
    /// <summary>Create a memory at a free path.</summary>
    Create,

    /// <summary>Replace an existing memory's content.</summary>
    Update,

    /// <summary>Delete an existing memory.</summary>
    Delete,
}
