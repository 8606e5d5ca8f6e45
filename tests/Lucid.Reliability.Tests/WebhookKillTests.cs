using System.Text;
using System.Text.Json.Nodes;
using Lucid.Testing.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Lucid.Reliability.Tests;

/// <summary>
/// A webhook whose delivery is in flight when the real <c>lucid serve</c> is SIGKILLed: the event was committed with
/// the session's idle status, so the next process delivers it, with the same <c>webhook-id</c>.
/// </summary>
public sealed class WebhookKillTests : IAsyncLifetime
{
    private readonly ServedHome _served = new("lucid-webhook-kill-");
    private readonly WebhookReceiver _receiver = new() { HoldFirst = 1 };

    public async Task InitializeAsync()
    {
        await _served.Upstream.StartAsync();
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _served.DisposeAsync();
    }

    [Fact]
    public async Task A_kill_between_commit_and_delivery_still_delivers_the_event()
    {
        _served.Upstream.ReplyText("Done.");
        var server = await _served.StartServerAsync("--webhooks-allow-private");
        string secret;
        string session;
        try
        {
            using var http = _served.Http();
            var endpoint = await PostAsync(http, "/v1/lucid/webhooks", $$"""{"url":"{{_receiver.Url}}","enabled_events":["session.status_idled"]}""");
            secret = endpoint["signing_secret"]!.GetValue<string>();
            var agent = (await PostAsync(http, "/v1/agents", """{"name":"notifier","model":"openai/test"}"""))["id"]!.GetValue<string>();
            var environment = (await PostAsync(http, "/v1/environments", """{"name":"local"}"""))["id"]!.GetValue<string>();
            session = (await PostAsync(http, "/v1/sessions", $$"""
                {"agent":"{{agent}}","environment_id":"{{environment}}","initial_events":[{"type":"user.message","content":[{"type":"text","text":"Go."}]}]}
                """))["id"]!.GetValue<string>();

            // The first attempt reaches the receiver, which holds it open: the delivery is in flight, not recorded.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (_receiver.Requests == 0)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
        finally
        {
            await server.KillAsync();
            server.Dispose();
        }

        Assert.Empty(_receiver.Received);
        server = await _served.StartServerAsync("--webhooks-allow-private");
        try
        {
            var delivery = await _receiver.WaitForAsync("session.status_idled", TimeSpan.FromSeconds(60));
            var headers = new HeaderDictionary();
            foreach (var (name, value) in delivery.Headers)
            {
                headers[name] = value;
            }

            new StandardWebhook(secret).Verify(delivery.Body, headers);
            var payload = JsonNode.Parse(delivery.Body)!;
            Assert.Equal(session, payload["data"]!["id"]!.GetValue<string>());
            Assert.Equal(delivery.Headers["webhook-id"], payload["id"]!.GetValue<string>());
            Assert.Single(_receiver.Received);
        }
        finally
        {
            await server.KillAsync();
            server.Dispose();
        }
    }

    private async Task<JsonNode> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
