using Lucid.Storage;
using Lucid.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server.Webhooks;

/// <summary>
/// Delivers the outbox: every second (or when woken), sends the due deliveries, at most eight at once, and records
/// each attempt. A delivery the endpoint does not accept with a 2xx is retried after <see cref="WebhookOptions.RetryDelays"/>
/// and marked failed after the last. A delivery cut short by a crash is still pending and is sent again after the
/// restart (on a store several servers share, once the dead server's claim has run out): delivery is at least once,
/// and receivers drop repeats by <c>webhook-id</c>. On a shared store each delivery is claimed by one server's
/// dispatcher at a time (<see cref="IWebhookStore.ClaimDueWebhookDeliveriesAsync"/>).
/// </summary>
internal sealed partial class WebhookDispatcher(IWebhookStore store, WebhookSender sender, WebhookOptions options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    /// <summary>The longest wait between looks at the outbox (new events do not wake the dispatcher).</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(1);

    private const int Batch = 64;
    private const int Parallelism = 8;
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Makes the dispatcher look at the outbox now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Sends every delivery due now; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        // A claim outlasts the batch's attempts even when every one waits out its timeout.
        var claimFor = (options.Timeout * (Batch / Parallelism)) + TimeSpan.FromSeconds(30);
        var due = await store.ClaimDueWebhookDeliveriesAsync(time.GetUtcNow(), claimFor, Batch, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var (delivery, endpoint) = item;
            var (status, error, response) = await sender.SendAsync(endpoint, delivery.Event, token);
            var now = time.GetUtcNow();
            var attempts = delivery.Attempts + 1;
            var delivered = error is null;
            var retry = !delivered && attempts <= options.RetryDelays.Count;
            await store.RecordWebhookAttemptAsync(delivery with
            {
                State = delivered ? WebhookDeliveryState.Delivered : retry ? WebhookDeliveryState.Pending : WebhookDeliveryState.Failed,
                Attempts = attempts,
                NextAttemptAt = retry ? now + options.RetryDelays[attempts - 1] : null,
                LastAttemptAt = now,
                LastStatus = status,
                LastError = error,
                LastResponse = response,
            }, CancellationToken.None);
            if (!delivered)
            {
                AttemptFailed(logger, delivery.Event.Id, endpoint.Id, attempts, error!);
            }
        });
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch may mean more are due: look again at once.
                if (await DeliverDueAsync(stoppingToken) == Batch)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(logger, e);
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(MaxSleep, time, wake.Token);
            var woken = _wake.WaitAsync(wake.Token);
            await Task.WhenAny(delay, woken);
            await wake.CancelAsync();
            try
            {
                await Task.WhenAll(delay, woken);
            }
            catch (OperationCanceledException)
            {
                // One of the two waits was cut short by the other.
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        sender.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {EventId} to endpoint {EndpointId}: attempt {Attempt} failed: {Error}")]
    private static partial void AttemptFailed(ILogger logger, string eventId, string endpointId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook deliveries could not be read or recorded; trying again shortly.")]
    private static partial void Failed(ILogger logger, Exception exception);
}
