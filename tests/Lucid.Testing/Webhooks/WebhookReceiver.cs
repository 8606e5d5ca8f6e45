using System.Collections.Concurrent;
using Lucid.Testing.Server;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Webhooks;

/// <summary>A webhook receiver on a loopback port: records every delivery, and answers 503 to the first <see cref="FailFirst"/>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private int _requests;

    public WebhookReceiver()
    {
        _server = new LoopbackHttpServer(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            var number = Interlocked.Increment(ref _requests);
            if (number <= HoldFirst)
            {
                // Never answered: the request stays open until its sender goes away.
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (number <= FailFirst)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await http.Response.WriteAsync("busy, try later");
                return;
            }

            Received.Enqueue(new Delivery(body, headers));
            await http.Response.WriteAsync("ok");
        });
    }

    /// <summary>How many requests are held open, never answered, before the receiver answers.</summary>
    public int HoldFirst { get; set; }

    /// <summary>How many requests (counting held ones) get 503 before the receiver accepts.</summary>
    public int FailFirst { get; set; }

    /// <summary>The deliveries it accepted, in arrival order.</summary>
    public ConcurrentQueue<Delivery> Received { get; } = new();

    /// <summary>Every request it got, accepted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Where to send deliveries.</summary>
    public string Url => _server.BaseUrl + "/hooks";

    public Task StartAsync() => _server.StartAsync();

    /// <summary>Waits (bounded) until an accepted delivery's body contains <paramref name="text"/>, and returns it.</summary>
    public async Task<Delivery> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Received.FirstOrDefault(d => d.Body.Contains(text, StringComparison.Ordinal)) is { } found)
            {
                return found;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>One delivery: its raw body and its headers (names in lower case).</summary>
    public sealed record Delivery(string Body, IReadOnlyDictionary<string, string> Headers);
}
