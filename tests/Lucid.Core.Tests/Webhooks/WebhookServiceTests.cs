using System.Net;
using Lucid.Events;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Testing.Storage;
using Lucid.Webhooks;

namespace Lucid.Core.Tests.Webhooks;

public sealed class WebhookServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static WebhookDraft Draft(string url, params string[] events) =>
        new() { Url = url, EnabledEvents = events.Length == 0 ? [WebhookEventTypes.SessionIdled] : events };

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "https")]
    [InlineData("https://localhost/hook", "loopback")]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://10.1.2.3/hook", "private")]
    [InlineData("https://192.168.0.10/hook", "private")]
    [InlineData("https://172.20.0.1/hook", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private")]
    [InlineData("https://100.64.0.1/hook", "private")]
    [InlineData("https://[fd00::1]/hook", "private")]
    [InlineData("https://[fe80::1]/hook", "private")]
    [InlineData("https://0.0.0.0/hook", "private")]
    [InlineData("https://user:pw@example.com/hook", "password")]
    [InlineData("ftp://example.com/hook", "https")]
    [InlineData("/relative", "https")]
    public async Task Urls_that_would_reach_the_servers_own_network_are_refused_by_default(string url, string reason)
    {
        var service = new WebhookService(new InMemoryStore(), new WebhookOptions());

        var created = await service.CreateAsync("team", Draft(url), CancellationToken.None);

        Assert.False(created.IsSuccess);
        Assert.Equal((ErrorKind.InvalidRequest, "url"), (created.Error.Kind, created.Error.Field));
        Assert.Contains(reason, created.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example.com/lucid", false)]
    [InlineData("https://8.8.8.8/hook", false)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("https://10.1.2.3/hook", true)]
    public async Task Public_https_urls_are_accepted_and_private_ones_when_allowed(string url, bool allowPrivate)
    {
        var store = new InMemoryStore();
        var service = new WebhookService(store, new WebhookOptions { AllowPrivateAddresses = allowPrivate });

        var created = await service.CreateAsync("team", Draft(url), CancellationToken.None);

        Assert.True(created.IsSuccess, created.IsSuccess ? "" : created.Error.Message);
        Assert.Equal(created.Value, await store.GetWebhookEndpointAsync(created.Value!.Id, CancellationToken.None));
    }

    [Fact]
    public void Resolved_addresses_are_checked_too()
    {
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse("127.0.0.53")));
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse("93.184.216.34")));
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse("2606:2800:220:1::1")));
    }

    [Fact]
    public async Task Event_types_must_be_ones_Lucid_delivers_and_secrets_are_standard_webhooks_keys()
    {
        var service = new WebhookService(new InMemoryStore(), new WebhookOptions());

        var unknown = await service.CreateAsync("team", Draft("https://hooks.example.com", "external_key.failed"), CancellationToken.None);
        var undefined = await service.CreateAsync("team", Draft("https://hooks.example.com", "session.status_scheduled"), CancellationToken.None);
        var none = await service.CreateAsync("team", new WebhookDraft { Url = "https://hooks.example.com", EnabledEvents = [] }, CancellationToken.None);
        var made = await service.CreateAsync("team", Draft("https://hooks.example.com"), CancellationToken.None);
        var regenerated = await service.RegenerateSecretAsync("team", made.Value!.Id, CancellationToken.None);

        Assert.Equal("enabled_events", unknown.Error?.Field);
        Assert.Equal("enabled_events", undefined.Error?.Field);
        Assert.Contains("'session.status_scheduled'", undefined.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("enabled_events", none.Error?.Field);
        Assert.Equal(32, Convert.FromBase64String(made.Value.SigningSecret["whsec_".Length..]).Length);
        Assert.NotEqual(made.Value.SigningSecret, regenerated.Value!.SigningSecret);
        Assert.False((await service.GetAsync("other", made.Value.Id, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public void A_session_log_reports_status_changes_outcomes_and_its_threads()
    {
        var session = new Session { Id = "sesn_1", WorkspaceId = "team", AgentId = "a", AgentVersion = 1, EnvironmentId = "e", WorkDirectory = "/w", CreatedAt = T0, UpdatedAt = T0 };
        SessionEvent[] events =
        [
            new SessionStatusRunningEvent { Id = "sevt_1", ProcessedAt = T0 },
            new AgentMessageEvent { Id = "sevt_2", ProcessedAt = T0, Content = [new TextBlock("hi")] },
            new SessionThreadCreatedEvent { Id = "sevt_3", ProcessedAt = T0, SessionThreadId = "sthr_1", AgentName = "helper" },
            new SessionThreadStatusIdleEvent { Id = "sevt_4", ProcessedAt = T0, SessionThreadId = "sthr_1", AgentName = "helper", StopReason = StopReason.EndTurn },
            new SessionStatusIdleEvent { Id = "sevt_5", ProcessedAt = T0, StopReason = StopReason.BudgetReached },
            new SessionStatusTerminatedEvent { Id = "sevt_6", ProcessedAt = T0 },
        ];

        var made = WebhookTriggers.OfSessionLog(session, events.Select((e, i) => new LoggedEvent("sesn_1", i + 1, e))).ToList();

        Assert.Equal(
            [
                (WebhookEventTypes.SessionRunning, null), (WebhookEventTypes.SessionRunStarted, null), (WebhookEventTypes.ThreadCreated, "sthr_1"),
                (WebhookEventTypes.ThreadIdled, "sthr_1"), (WebhookEventTypes.SessionBecameIdle, null), (WebhookEventTypes.SessionIdled, null),
                (WebhookEventTypes.SessionBudgetReached, null), (WebhookEventTypes.SessionTerminated, (string?)null),
            ],
            made.Select(e => (e.Type, e.SessionThreadId)));
        Assert.Equal(made.Count, made.Select(e => e.Id).Distinct().Count());
        Assert.Contains("\"session_thread_id\":\"sthr_1\"", made[2].Payload(), StringComparison.Ordinal);
    }
}
