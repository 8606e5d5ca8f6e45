namespace Lucid.Memory;

/// <summary>Who made a change to a memory, recorded when it happens.</summary>
/// <param name="Kind">What kind of actor.</param>
/// <param name="Id">The API key, user or session ID (for a dream, the session whose events show its work).</param>
/// <param name="DreamId">The dream, when a dream made the change.</param>
public sealed record MemoryActor(MemoryActorKind Kind, string Id, string? DreamId = null)
{
    /// <summary>A caller of the HTTP API, by the ID of its key.</summary>
    public static MemoryActor ApiKey(string apiKeyId) => new(MemoryActorKind.ApiKey, apiKeyId);

    /// <summary>A person, such as the local user of the CLI.</summary>
    public static MemoryActor User(string userId) => new(MemoryActorKind.User, userId);

    /// <summary>An agent writing through a session's mounted store.</summary>
    public static MemoryActor Session(string sessionId) => new(MemoryActorKind.Session, sessionId);

    /// <summary>A dream, writing through the session that records its work.</summary>
    public static MemoryActor Dream(string dreamId, string sessionId) => new(MemoryActorKind.Dream, sessionId, dreamId);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        MemoryActorKind.ApiKey => $"api key {Id}",
        MemoryActorKind.User => $"user {Id}",
        MemoryActorKind.Session => $"session {Id}",
        _ => $"dream {DreamId} (session {Id})",
    };
}
