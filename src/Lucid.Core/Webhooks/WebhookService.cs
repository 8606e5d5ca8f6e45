using System.Security.Cryptography;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Webhooks;

/// <summary>What a caller sets on an endpoint: every field when creating, the fields it sends when updating.</summary>
public sealed record WebhookDraft
{
    /// <summary>Where deliveries go.</summary>
    public required string Url { get; init; }

    /// <summary>A short label.</summary>
    public string Name { get; init; } = "";

    /// <summary>Notes.</summary>
    public string Description { get; init; } = "";

    /// <summary>The event types to deliver (at least one).</summary>
    public required IReadOnlyList<string> EnabledEvents { get; init; }

    /// <summary>Whether deliveries are sent.</summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>
/// A workspace's webhook endpoints: create, update, delete, regenerate the signing secret. Every input is checked
/// (URL against <see cref="WebhookAddresses"/>, event types against <see cref="WebhookEventTypes.All"/>) before anything is stored.
/// </summary>
public sealed class WebhookService(IWebhookStore store, WebhookOptions options, TimeProvider? timeProvider = null, IdGenerator? ids = null)
{
    /// <summary>At most this many endpoints per workspace.</summary>
    public const int MaxEndpoints = 100;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly IdGenerator _ids = ids ?? IdGenerator.Random;

    /// <summary>Called after an endpoint changed, so a dispatcher can look for due deliveries again.</summary>
    public Action? Changed { get; init; }

    /// <summary>Creates an endpoint with a new signing secret.</summary>
    public async Task<Result<WebhookEndpoint>> CreateAsync(string workspaceId, WebhookDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Check(draft) is { } error)
        {
            return error;
        }

        if ((await store.ListWebhookEndpointsAsync(workspaceId, cancellationToken)).Count >= MaxEndpoints)
        {
            return LucidError.Invalid("url", $"A workspace has at most {MaxEndpoints} webhook endpoints; delete one first.");
        }

        var now = _time.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = _ids.NewId(IdPrefixes.WebhookEndpoint),
            WorkspaceId = workspaceId,
            Url = draft.Url,
            Name = draft.Name,
            Description = draft.Description,
            EnabledEvents = [.. draft.EnabledEvents.Distinct(StringComparer.Ordinal)],
            Enabled = draft.Enabled,
            SigningSecret = NewSecret(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.CreateWebhookEndpointAsync(endpoint, cancellationToken);
        Changed?.Invoke();
        return endpoint;
    }

    /// <summary>Returns an endpoint of the workspace.</summary>
    public async Task<Result<WebhookEndpoint>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        await store.GetWebhookEndpointAsync(id, cancellationToken) is { } endpoint && endpoint.WorkspaceId == workspaceId
            ? endpoint
            : LucidError.NotFound("Webhook endpoint", id);

    /// <summary>Changes an endpoint: <paramref name="change"/> gets the current settings and returns the new ones.</summary>
    public async Task<Result<WebhookEndpoint>> UpdateAsync(string workspaceId, string id, Func<WebhookDraft, WebhookDraft> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var found = await GetAsync(workspaceId, id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found;
        }

        var current = found.Value!;
        var draft = change(new WebhookDraft
        {
            Url = current.Url, Name = current.Name, Description = current.Description, EnabledEvents = current.EnabledEvents, Enabled = current.Enabled,
        });
        if (Check(draft) is { } error)
        {
            return error;
        }

        var updated = current with
        {
            Url = draft.Url,
            Name = draft.Name,
            Description = draft.Description,
            EnabledEvents = [.. draft.EnabledEvents.Distinct(StringComparer.Ordinal)],
            Enabled = draft.Enabled,
            DisabledReason = draft.Enabled ? "" : current.DisabledReason,
            UpdatedAt = _time.GetUtcNow(),
        };
        return await SaveAsync(updated, cancellationToken);
    }

    /// <summary>Replaces the signing secret; deliveries are signed with the new one from now on.</summary>
    public async Task<Result<WebhookEndpoint>> RegenerateSecretAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var found = await GetAsync(workspaceId, id, cancellationToken);
        return found.IsSuccess
            ? await SaveAsync(found.Value! with { SigningSecret = NewSecret(), UpdatedAt = _time.GetUtcNow() }, cancellationToken)
            : found;
    }

    /// <summary>Deletes an endpoint with its pending deliveries and delivery log.</summary>
    public async Task<Result<string>> DeleteAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var found = await GetAsync(workspaceId, id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        await store.DeleteWebhookEndpointAsync(id, cancellationToken);
        return id;
    }

    private async Task<Result<WebhookEndpoint>> SaveAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (!await store.UpdateWebhookEndpointAsync(endpoint, cancellationToken))
        {
            return LucidError.NotFound("Webhook endpoint", endpoint.Id);
        }

        Changed?.Invoke();
        return endpoint;
    }

    private LucidError? Check(WebhookDraft draft)
    {
        if (WebhookAddresses.Problem(draft.Url, options.AllowPrivateAddresses) is { } problem)
        {
            return LucidError.Invalid("url", problem);
        }

        if (draft.EnabledEvents.Count == 0)
        {
            return LucidError.Invalid("enabled_events", "enabled_events must list at least one event type.");
        }

        foreach (var type in draft.EnabledEvents)
        {
            if (!WebhookEventTypes.All.Contains(type))
            {
                return LucidError.Invalid("enabled_events", $"'{type}' is not an event type Lucid delivers; it delivers {string.Join(", ", WebhookEventTypes.All)}.");
            }
        }

        return null;
    }

    // Standard Webhooks secrets: "whsec_" and the base64 of the HMAC key.
    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
