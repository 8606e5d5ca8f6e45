using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;
using Lucid.Webhooks;

namespace Lucid.Storage.Postgres.Tests;

/// <summary>Text PostgreSQL cannot hold as it is: U+0000.</summary>
public sealed class PostgresTextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_webhook_receivers_answer_with_NUL_characters_is_recorded_with_each_shown_as_U_FFFD()
    {
        await using var store = await PostgresStore.OpenAsync(await (await PostgresServer.Shared).CreateDatabaseAsync(), None);
        await store.CreateWebhookEndpointAsync(new WebhookEndpoint
        {
            Id = "whep_a", WorkspaceId = "team", Url = "https://hooks.example.com/a", EnabledEvents = [WebhookEventTypes.SessionIdled], Enabled = true,
            SigningSecret = "whsec_" + Convert.ToBase64String(new byte[32]), CreatedAt = T0, UpdatedAt = T0,
        }, None);
        await store.CreateSessionAsync(
            new Session { Id = "sesn_1", WorkspaceId = "team", AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = T0, UpdatedAt = T0 },
            [new SessionStatusIdleEvent { Id = "sevt_idle", ProcessedAt = T0, StopReason = StopReason.EndTurn }], None);
        var (delivery, _) = Assert.Single(await store.ClaimDueWebhookDeliveriesAsync(T0, TimeSpan.Zero, 10, None));

        await store.RecordWebhookAttemptAsync(delivery with { Attempts = 1, LastStatus = 500, LastError = "bad\0error", LastResponse = "a\0b" }, None);

        var recorded = Assert.Single((await store.ListWebhookDeliveriesAsync("whep_a", new PageRequest(10), None)).Items);
        Assert.Equal(("a\uFFFDb", "bad\uFFFDerror", 1), (recorded.LastResponse, recorded.LastError, recorded.Attempts));
    }
}
