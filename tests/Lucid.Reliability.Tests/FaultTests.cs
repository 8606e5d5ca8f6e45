using System.Net;
using System.Text;
using System.Text.Json;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Server;
using Microsoft.Data.Sqlite;

namespace Lucid.Reliability.Tests;

/// <summary>A busy or full database and a failing model provider: clear errors, a consistent store, a server that stays up.</summary>
public sealed class FaultTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_database_locked_by_another_writer_answers_503_and_writes_nothing()
    {
        await using var server = new LucidTestServer();
        await server.StartAsync(storeOptions: new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        using var http = server.Http(server.AlphaKey);
        var before = await server.SnapshotAsync();

        HttpStatusCode status;
        string body;
        await using (var other = new SqliteConnection($"Data Source={server.DatabasePath}"))
        {
            await other.OpenAsync();
            await using var hold = other.BeginTransaction(deferred: false);
            using var response = await http.PostAsync("/v1/agents", Json($$"""{"name":"blocked","model":"{{LucidTestServer.Model}}"}"""));
            (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
            await hold.RollbackAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("locked by another writer", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await server.SnapshotAsync());
        using var retry = await http.PostAsync("/v1/agents", Json($$"""{"name":"after","model":"{{LucidTestServer.Model}}"}"""));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task A_full_database_answers_503_and_keeps_every_write_that_was_acknowledged()
    {
        await using var server = new LucidTestServer();
        // The empty schema takes 49 pages (one per table and index, and the schema itself); the rest fills with writes.
        await server.StartAsync(storeOptions: new SqliteStoreOptions { MaxPageCount = 64 });
        using var http = server.Http(server.AlphaKey);
        var created = new List<string>();
        HttpStatusCode last = HttpStatusCode.OK;
        string lastBody = "";
        for (var i = 0; i < 500 && last == HttpStatusCode.OK; i++)
        {
            using var response = await http.PostAsync("/v1/agents", Json($$"""{"name":"agent {{i}}","model":"{{LucidTestServer.Model}}","system":"{{new string('s', 2000)}}"}"""));
            (last, lastBody) = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (last == HttpStatusCode.OK)
            {
                created.Add(JsonDocument.Parse(lastBody).RootElement.GetProperty("id").GetString() ?? "");
            }
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, last);
        Assert.Contains("cannot grow", JsonDocument.Parse(lastBody).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(created);
        var listed = JsonDocument.Parse(await http.GetStringAsync("/v1/agents?limit=100")).RootElement.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToHashSet();
        Assert.True(created.All(listed.Contains), "an acknowledged agent is missing");
    }

    [Fact]
    public async Task A_provider_that_stays_overloaded_becomes_a_session_error_and_the_server_stays_up()
    {
        await using var server = new LucidTestServer();
        await server.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            server.Upstream.Error(529, "overloaded_error", "Overloaded");
        }

        using var http = server.Http(server.AlphaKey);
        var agent = JsonDocument.Parse(await (await http.PostAsync("/v1/agents", Json($$"""{"name":"a","model":"{{LucidTestServer.Model}}"}"""))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var environment = JsonDocument.Parse(await (await http.PostAsync("/v1/environments", Json("""{"name":"e"}"""))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var session = JsonDocument.Parse(await (await http.PostAsync("/v1/sessions", Json($$"""{"agent":"{{agent}}","environment_id":"{{environment}}","initial_events":[{"type":"user.message","content":[{"type":"text","text":"hi"}]}]}"""))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var types = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await http.GetStreamAsync($"/v1/sessions/{session}/events/stream", timeout.Token);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            types.Add(item.EventType);
            if (item.EventType == "session.error")
            {
                Assert.Equal("model_overloaded_error", JsonDocument.Parse(item.Data).RootElement.GetProperty("error").GetProperty("type").GetString());
            }

            if (item.EventType == "session.status_idle")
            {
                break;
            }
        }

        Assert.Contains("session.error", types);
        Assert.Equal(2, server.Upstream.Requests.Count);
        using var alive = await http.GetAsync("/v1/agents");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
