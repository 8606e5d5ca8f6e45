namespace Lucid.Webhooks;

/// <summary>An HTTPS address in a workspace that Lucid sends signed event notifications to.</summary>
public sealed record WebhookEndpoint
{
    /// <summary>The endpoint's ID (<c>whep_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace whose events it receives.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Where deliveries are posted.</summary>
    public required string Url { get; init; }

    /// <summary>A short label; empty when none was given.</summary>
    public string Name { get; init; } = "";

    /// <summary>Notes; empty when none were given.</summary>
    public string Description { get; init; } = "";

    /// <summary>The event types delivered to it (see <see cref="WebhookEventTypes"/>).</summary>
    public required IReadOnlyList<string> EnabledEvents { get; init; }

    /// <summary>Whether deliveries are sent.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Why Lucid disabled it; empty when enabled or disabled by the caller.</summary>
    public string DisabledReason { get; init; } = "";

    /// <summary>The Standard Webhooks signing secret (<c>whsec_</c> and base64 of 32 random bytes).</summary>
    public required string SigningSecret { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
