using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;
using Lucid.Webhooks;

namespace Lucid.Storage.Postgres.Tests;

/// <summary>Several stores on one database, as several servers' webhook dispatchers: each delivery goes to one of them.</summary>
public sealed class PostgresWebhookClaimTests
{
    private const int Deliveries = 40;
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(2);

    private static CancellationToken None => CancellationToken.None;

    private static async Task<PostgresStore[]> OpenWithDeliveriesAsync(int stores)
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        var opened = await Task.WhenAll(Enumerable.Range(0, stores).Select(_ => PostgresStore.OpenAsync(database, None)));
        await opened[0].CreateWebhookEndpointAsync(new WebhookEndpoint
        {
            Id = "whep_a", WorkspaceId = "team", Url = "https://hooks.example.com/a", EnabledEvents = [WebhookEventTypes.SessionIdled], Enabled = true,
            SigningSecret = "whsec_" + Convert.ToBase64String(new byte[32]), CreatedAt = T0, UpdatedAt = T0,
        }, None);
        for (var i = 0; i < Deliveries; i++)
        {
            await opened[0].CreateSessionAsync(
                new Session { Id = $"sesn_{i:D3}", WorkspaceId = "team", AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = T0, UpdatedAt = T0 },
                [new SessionStatusIdleEvent { Id = $"sevt_idle_{i}", ProcessedAt = T0, StopReason = StopReason.EndTurn }], None);
        }

        return opened;
    }

    [Fact]
    public async Task Dispatchers_of_several_servers_claiming_at_once_each_get_different_deliveries_and_together_all()
    {
        var stores = await OpenWithDeliveriesAsync(3);

        // Every store claims small batches, many at once, until none is left for it (or it has more than there are).
        var claimed = await Task.WhenAll(stores.SelectMany(store => Enumerable.Range(0, 4).Select(async _ =>
        {
            var mine = new List<long>();
            while (mine.Count <= Deliveries && await store.ClaimDueWebhookDeliveriesAsync(T0, Claim, 3, None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(d => d.Delivery.Number));
            }

            return mine;
        })));

        var all = claimed.SelectMany(numbers => numbers).ToList();
        Assert.Equal(Deliveries, all.Count);
        Assert.Equal(Deliveries, all.Distinct().Count());
        Assert.Empty(await stores[1].ClaimDueWebhookDeliveriesAsync(T0 + Claim - TimeSpan.FromSeconds(1), Claim, 100, None));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_claim_whose_sender_died_runs_out_and_a_recorded_attempt_frees_the_delivery_for_its_retry()
    {
        var stores = await OpenWithDeliveriesAsync(2);
        var first = await stores[0].ClaimDueWebhookDeliveriesAsync(T0, Claim, Deliveries, None);

        // The first server recorded one attempt, a failure to retry in a minute, and died before the others.
        var (retried, _) = first[0];
        await stores[0].RecordWebhookAttemptAsync(retried with { Attempts = 1, NextAttemptAt = T0.AddMinutes(1), LastAttemptAt = T0, LastStatus = 500 }, None);
        var atRetry = await stores[1].ClaimDueWebhookDeliveriesAsync(T0.AddMinutes(1), Claim, Deliveries, None);
        var afterClaim = await stores[1].ClaimDueWebhookDeliveriesAsync(T0 + Claim, Claim, Deliveries, None);

        Assert.Equal(Deliveries, first.Count);
        Assert.Equal(retried.Number, Assert.Single(atRetry).Delivery.Number);
        Assert.Equal(first.Skip(1).Select(d => d.Delivery.Number), afterClaim.Select(d => d.Delivery.Number));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }
}
