using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Sessions;

namespace Lucid.Cluster.Tests.Sessions;

public sealed class SessionEditRoutingTests
{
    [Fact]
    public async Task An_update_through_another_node_is_appended_by_the_owner_and_starts_no_runner_there()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        var sessionId = await SessionsOnNodes.CreateAsync(a);

        using var response = await b.Http(b.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}", new { title = "renamed", metadata = new { team = "blue" } });
        var session = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("renamed", (string?)session["title"]);
        Assert.Equal("blue", (string?)session["metadata"]!["team"]);
        Assert.True(a.Service<SessionEngine>().Runs(sessionId));
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
        var updated = Assert.Single(await SessionsOnNodes.LogAsync(b, sessionId), e => e.Event is SessionUpdatedEvent);
        Assert.Equal(updated.Sequence, (await SessionsOnNodes.LogAsync(b, sessionId)).Count);
    }

    [Fact]
    public async Task An_owners_refusal_keeps_the_APIs_error_shape_and_status_through_another_node()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        var sessionId = await SessionsOnNodes.CreateAsync(a);
        using var http = b.Http(b.AlphaKey);

        // A metadata key longer than the API allows is refused by the owner, which checks the merged metadata.
        using var tooLong = await http.PostAsJsonAsync($"/v1/sessions/{sessionId}", new { metadata = new Dictionary<string, string> { [new string('k', 65)] = "v" } });
        using var missing = await http.DeleteAsync("/v1/sessions/sesn_01missing");
        var invalid = JsonNode.Parse(await tooLong.Content.ReadAsStringAsync())!["error"]!;
        var notFound = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("invalid_request_error", (string?)invalid["type"]);
        Assert.StartsWith("metadata", (string?)invalid["field"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found_error", (string?)notFound["type"]);
        Assert.DoesNotContain(await SessionsOnNodes.LogAsync(a, sessionId), e => e.Event is SessionUpdatedEvent);
    }

    [Fact]
    public async Task A_delete_through_another_node_stops_the_owners_runner()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        var sessionId = await SessionsOnNodes.CreateAsync(a);
        Assert.True(a.Service<SessionEngine>().Runs(sessionId));

        using var response = await b.Http(b.AlphaKey).DeleteAsync($"/v1/sessions/{sessionId}");
        var deleted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("session_deleted", (string?)deleted["type"]);
        Assert.False(a.Service<SessionEngine>().Runs(sessionId));
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
        Assert.Empty(await SessionsOnNodes.LogAsync(b, sessionId));
    }

    [Fact]
    public async Task An_archive_through_another_node_stops_the_owners_runner()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        var sessionId = await SessionsOnNodes.CreateAsync(a);

        using var response = await b.Http(b.AlphaKey).PostAsync($"/v1/sessions/{sessionId}/archive", null);
        var archived = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((string?)archived["archived_at"]);
        Assert.False(a.Service<SessionEngine>().Runs(sessionId));
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
    }
}
