using Lucid.Events;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

/// <summary>The webhook store contract (endpoints and the outbox its own changes fill), written once and run against every backend.</summary>
public abstract partial class WebhookContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static WebhookEndpoint Endpoint(string id, string workspace = "team", bool enabled = true, params string[] events) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        Url = "https://hooks.example.com/" + id,
        EnabledEvents = events.Length == 0 ? [WebhookEventTypes.SessionIdled] : events,
        Enabled = enabled,
        SigningSecret = "whsec_" + Convert.ToBase64String(new byte[32]),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static Session NewSession(string id, string workspace = "team") => new()
    {
        Id = id,
        WorkspaceId = workspace,
        AgentId = "agent_a",
        AgentVersion = 1,
        EnvironmentId = "env_e",
        WorkDirectory = "/tmp/work",
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static SessionEvent Idle(string id, StopReason? reason = null) =>
        new SessionStatusIdleEvent { Id = id, ProcessedAt = T0.AddMinutes(1), StopReason = reason ?? StopReason.EndTurn };

    private static async Task<List<WebhookDelivery>> DeliveriesAsync(ILucidStore store, string endpointId) =>
        [.. (await store.ListWebhookDeliveriesAsync(endpointId, new PageRequest(100), None)).Items];

    [Fact]
    public async Task An_append_records_one_pending_delivery_per_subscribed_enabled_endpoint_of_its_workspace()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_idle"), None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_budget", events: [WebhookEventTypes.SessionBudgetReached, WebhookEventTypes.SessionIdled]), None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_off", enabled: false), None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_other", workspace: "elsewhere"), None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_memory", events: [WebhookEventTypes.MemoryStoreCreated]), None);
        await store.CreateSessionAsync(NewSession("sesn_1"), [new SessionStatusRunningEvent { Id = "sevt_run", ProcessedAt = T0 }], None);

        await store.AppendAsync("sesn_1", [Idle("sevt_idle", StopReason.BudgetReached)], None);

        var idle = Assert.Single(await DeliveriesAsync(store, "whep_idle"));
        Assert.Equal((WebhookEventTypes.SessionIdled, "sesn_1", "team", WebhookDeliveryState.Pending, 0), (idle.Event.Type, idle.Event.ResourceId, idle.Event.WorkspaceId, idle.State, idle.Attempts));
        Assert.Equal(T0.AddMinutes(1), idle.NextAttemptAt);
        Assert.Equal([WebhookEventTypes.SessionBudgetReached, WebhookEventTypes.SessionIdled], (await DeliveriesAsync(store, "whep_budget")).Select(d => d.Event.Type).Order(StringComparer.Ordinal));
        Assert.Empty(await DeliveriesAsync(store, "whep_off"));
        Assert.Empty(await DeliveriesAsync(store, "whep_other"));
        Assert.Empty(await DeliveriesAsync(store, "whep_memory"));

        var due = await store.ClaimDueWebhookDeliveriesAsync(T0.AddMinutes(1), TimeSpan.Zero, 10, None);
        Assert.Equal(["whep_budget", "whep_budget", "whep_idle"], due.Select(d => d.Endpoint.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await store.ClaimDueWebhookDeliveriesAsync(T0, TimeSpan.Zero, 10, None));
    }

    [Fact]
    public async Task An_event_ID_is_derived_from_its_change_so_both_endpoints_get_the_same_one()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a"), None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_b"), None);
        await store.CreateSessionAsync(NewSession("sesn_1"), [], None);
        await store.AppendAsync("sesn_1", [Idle("sevt_idle")], None);

        var a = Assert.Single(await DeliveriesAsync(store, "whep_a")).Event;
        var b = Assert.Single(await DeliveriesAsync(store, "whep_b")).Event;
        Assert.Equal(a, b);
        Assert.Equal(WebhookEvent.Of("sevt_idle", "team", WebhookEventTypes.SessionIdled, "sesn_1", T0).Id, a.Id);
    }

    [Fact]
    public async Task Attempts_are_recorded_and_a_delivered_one_is_no_longer_due()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a"), None);
        await store.CreateSessionAsync(NewSession("sesn_1"), [], None);
        await store.AppendAsync("sesn_1", [Idle("sevt_1")], None);
        var (delivery, _) = Assert.Single(await store.ClaimDueWebhookDeliveriesAsync(T0.AddHours(1), TimeSpan.Zero, 10, None));

        await store.RecordWebhookAttemptAsync(delivery with { Attempts = 1, NextAttemptAt = T0.AddHours(2), LastAttemptAt = T0.AddHours(1), LastStatus = 503, LastError = "busy", LastResponse = "later" }, None);
        Assert.Empty(await store.ClaimDueWebhookDeliveriesAsync(T0.AddHours(1), TimeSpan.Zero, 10, None));
        var (retry, _) = Assert.Single(await store.ClaimDueWebhookDeliveriesAsync(T0.AddHours(2), TimeSpan.Zero, 10, None));
        Assert.Equal((1, 503, "busy", "later"), (retry.Attempts, retry.LastStatus, retry.LastError, retry.LastResponse));

        await store.RecordWebhookAttemptAsync(retry with { State = WebhookDeliveryState.Delivered, Attempts = 2, NextAttemptAt = null, LastStatus = 200, LastError = null }, None);
        Assert.Empty(await store.ClaimDueWebhookDeliveriesAsync(T0.AddDays(1), TimeSpan.Zero, 10, None));
        Assert.Equal(WebhookDeliveryState.Delivered, Assert.Single(await DeliveriesAsync(store, "whep_a")).State);
    }

    [Fact]
    public async Task Endpoints_are_stored_listed_per_workspace_and_deleted_with_their_deliveries()
    {
        await using var store = await CreateStoreAsync();
        var endpoint = Endpoint("whep_a");
        await store.CreateWebhookEndpointAsync(endpoint, None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_b") with { CreatedAt = T0.AddMinutes(1) }, None);
        await store.CreateWebhookEndpointAsync(Endpoint("whep_c", workspace: "elsewhere"), None);
        Assert.Equal(endpoint, await store.GetWebhookEndpointAsync("whep_a", None) is { } read ? read with { EnabledEvents = endpoint.EnabledEvents } : null);
        Assert.Equal(endpoint.EnabledEvents, (await store.GetWebhookEndpointAsync("whep_a", None))!.EnabledEvents);
        Assert.Equal(["whep_a", "whep_b"], (await store.ListWebhookEndpointsAsync("team", None)).Select(e => e.Id));

        Assert.True(await store.UpdateWebhookEndpointAsync(endpoint with { Enabled = false, Name = "off" }, None));
        Assert.Equal("off", (await store.GetWebhookEndpointAsync("whep_a", None))!.Name);
        await store.CreateSessionAsync(NewSession("sesn_1"), [], None);
        await store.AppendAsync("sesn_1", [Idle("sevt_1")], None);
        Assert.Empty(await DeliveriesAsync(store, "whep_a"));
        Assert.Single(await DeliveriesAsync(store, "whep_b"));

        Assert.True(await store.DeleteWebhookEndpointAsync("whep_b", None));
        Assert.Null(await store.GetWebhookEndpointAsync("whep_b", None));
        Assert.Empty(await DeliveriesAsync(store, "whep_b"));
        Assert.False(await store.DeleteWebhookEndpointAsync("whep_b", None));
    }

    [Fact]
    public async Task Memory_stores_and_sessions_report_creation_archiving_and_deletion()
    {
        await using var store = await CreateStoreAsync();
        var types = new[]
        {
            WebhookEventTypes.MemoryStoreCreated, WebhookEventTypes.MemoryStoreArchived, WebhookEventTypes.MemoryStoreDeleted,
            WebhookEventTypes.SessionCreated, WebhookEventTypes.SessionUpdated, WebhookEventTypes.SessionArchived, WebhookEventTypes.SessionDeleted,
        };
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events: types), None);
        var memory = new MemoryStore { Id = "memstore_1", WorkspaceId = "team", Name = "notes", CreatedAt = T0, UpdatedAt = T0 };
        await store.CreateMemoryStoreAsync(memory, None);
        await store.UpdateMemoryStoreAsync(memory with { Description = "renamed" }, None);
        await store.UpdateMemoryStoreAsync(memory with { ArchivedAt = T0.AddHours(1) }, None);
        await store.DeleteMemoryStoreAsync("memstore_1", None);
        var session = NewSession("sesn_1");
        await store.CreateSessionAsync(session, [], None);
        await store.UpdateSessionAsync(session with { Title = "renamed", UpdatedAt = T0.AddHours(1) }, None);
        await store.UpdateSessionAsync(session with { Title = "renamed", ArchivedAt = T0.AddHours(2), UpdatedAt = T0.AddHours(2) }, None);
        await store.DeleteSessionAsync("sesn_1", None);

        var delivered = (await DeliveriesAsync(store, "whep_a")).OrderBy(d => d.Number).Select(d => (d.Event.Type, d.Event.ResourceId));
        Assert.Equal(
            [(types[0], "memstore_1"), (types[1], "memstore_1"), (types[2], "memstore_1"), (types[3], "sesn_1"), (types[4], "sesn_1"), (types[5], "sesn_1"), (types[6], "sesn_1")],
            delivered);
    }
}
