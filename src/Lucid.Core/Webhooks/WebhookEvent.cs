using System.Text;
using System.Text.Json;

namespace Lucid.Webhooks;

/// <summary>
/// Something that happened in a workspace that endpoints subscribed to its type are told about. Recorded in the same
/// transaction as the change it reports, so a crash cannot lose it; its ID is derived from that change, so recording it
/// twice records it once, and receivers use it to drop repeated deliveries.
/// </summary>
/// <param name="Id">The event's ID (<c>wevt_…</c>), sent as <c>webhook-id</c> and as the payload's <c>id</c>.</param>
/// <param name="WorkspaceId">The workspace it happened in.</param>
/// <param name="Type">One of <see cref="WebhookEventTypes.All"/>.</param>
/// <param name="ResourceId">The resource that triggered it (a session, agent, environment, vault, credential, deployment, deployment run or memory store).</param>
/// <param name="CreatedAt">When it happened.</param>
/// <param name="SessionThreadId">The thread, for the <c>session.thread_*</c> types.</param>
/// <param name="VaultId">The vault that owns the credential, for the <c>vault_credential.*</c> types.</param>
public sealed record WebhookEvent(string Id, string WorkspaceId, string Type, string ResourceId, DateTimeOffset CreatedAt, string? SessionThreadId = null, string? VaultId = null)
{
    /// <summary>The organization every Lucid server reports in <c>organization_id</c>: a server is one organization.</summary>
    public const string OrganizationId = "org_lucid";

    /// <summary>Makes the event for <paramref name="type"/>, its ID derived from the triggering change's <paramref name="seed"/>.</summary>
    public static WebhookEvent Of(string seed, string workspaceId, string type, string resourceId, DateTimeOffset at, string? threadId = null) =>
        new(Ids.IdGenerator.Derived(Ids.IdPrefixes.WebhookEvent, $"{seed}|{type}"), workspaceId, type, resourceId, at, threadId);

    /// <summary>The delivery's body, as the SDK's <c>UnwrapWebhookEvent</c> reads it.</summary>
    public string Payload()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "event");
            json.WriteString("id", Id);
            json.WriteString("created_at", CreatedAt.UtcDateTime);
            json.WriteStartObject("data");
            json.WriteString("type", Type);
            json.WriteString("id", ResourceId);
            json.WriteString("organization_id", OrganizationId);
            json.WriteString("workspace_id", WorkspaceId);
            if (SessionThreadId is not null)
            {
                json.WriteString("session_thread_id", SessionThreadId);
            }

            if (VaultId is not null)
            {
                json.WriteString("vault_id", VaultId);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
