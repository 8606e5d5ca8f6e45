namespace Lucid.Memory;

/// <summary>What a caller asks for when attaching a memory store to a new session.</summary>
/// <param name="MemoryStoreId">The store.</param>
/// <param name="Access">How the session may use it.</param>
/// <param name="Instructions">Guidance for the agent on this store, for the system prompt (at most 4,096 characters).</param>
public sealed record MemoryAttachment(string MemoryStoreId, MemoryAccess Access = MemoryAccess.ReadWrite, string? Instructions = null)
{
    /// <summary>The longest <see cref="Instructions"/>.</summary>
    public const int MaxInstructionsLength = 4096;
}
