using System.Net;
using System.Text;
using System.Text.Json;
using Lucid.Testing.Server;
using Xunit.Abstractions;

namespace Lucid.Reliability.Tests;

/// <summary>
/// Every /v1 endpoint gets generated bad input: wrong types, huge strings, deep nesting, invalid UTF-8, unknown enum
/// values, bad IDs, oversized bodies, garbage. Every answer must be a 4xx in the API's error shape, and the store must be
/// exactly as it was.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 5200;
    private readonly LucidTestServer _server = new();
    private string _agentId = "";
    private string _environmentId = "";
    private string _sessionId = "";

    public async Task InitializeAsync()
    {
        await _server.StartAsync(maxRequestBodyBytes: 64 * 1024);
        using var http = _server.Http(_server.AlphaKey);
        _agentId = await CreateAsync(http, "/v1/agents", $$"""{"name":"fuzz","model":"{{LucidTestServer.Model}}"}""");
        _environmentId = await CreateAsync(http, "/v1/environments", """{"name":"fuzz"}""");
        _sessionId = await CreateAsync(http, "/v1/sessions", $$"""{"agent":"{{_agentId}}","environment_id":"{{_environmentId}}"}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> CreateAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString() ?? "";
    }

    [Fact]
    public async Task Thousands_of_bad_requests_get_4xx_in_the_error_shape_and_change_nothing()
    {
        var before = await _server.SnapshotAsync();
        using var http = _server.Http(_server.AlphaKey);
        var random = new Random(20261124);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var (method, path, body) = Generate(random);
            using var request = new HttpRequestMessage(method, path) { Content = body };
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status is < 400 or >= 500 || !IsErrorShape(text))
            {
                failures.Add($"{method} {path} → {status}: {text[..Math.Min(200, text.Length)]}");
            }
        }

        output.WriteLine($"{Requests} requests; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        foreach (var failure in failures.Take(15))
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
        Assert.Equal(before, await _server.SnapshotAsync());
    }

    private static bool IsErrorShape(string text)
    {
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            return root.GetProperty("type").GetString() == "error"
                && root.GetProperty("error").GetProperty("type").GetString() is { Length: > 0 }
                && root.GetProperty("error").GetProperty("message").GetString() is { Length: > 0 };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private (HttpMethod Method, string Path, HttpContent? Body) Generate(Random random)
    {
        var endpoints = new (HttpMethod Method, string Path, string[] Fields)[]
        {
            (HttpMethod.Post, "/v1/agents", ["name", "model", "description", "system", "tools", "metadata"]),
            (HttpMethod.Post, $"/v1/agents/{_agentId}", ["version", "name", "model", "system", "tools", "metadata"]),
            (HttpMethod.Post, "/v1/environments", ["name", "description", "metadata"]),
            (HttpMethod.Post, $"/v1/environments/{_environmentId}", ["name", "description", "metadata"]),
            (HttpMethod.Post, "/v1/sessions", ["agent", "environment_id", "title", "metadata", "initial_events", "resources"]),
            (HttpMethod.Post, $"/v1/sessions/{_sessionId}", ["title", "metadata", "agent"]),
            (HttpMethod.Post, $"/v1/sessions/{_sessionId}/events", ["events"]),
        };
        var gets = new[]
        {
            "/v1/agents", $"/v1/agents/{_agentId}", $"/v1/agents/{_agentId}/versions", "/v1/environments", $"/v1/environments/{_environmentId}",
            "/v1/sessions", $"/v1/sessions/{_sessionId}", $"/v1/sessions/{_sessionId}/events",
        };
        switch (random.Next(10))
        {
            case 0:
            {
                // Bad IDs in paths, for every method.
                var bad = BadId(random);
                var (method, path) = random.Next(6) switch
                {
                    0 => (HttpMethod.Get, $"/v1/agents/{bad}"),
                    1 => (HttpMethod.Post, $"/v1/agents/{bad}/archive"),
                    2 => (HttpMethod.Get, $"/v1/environments/{bad}"),
                    3 => (HttpMethod.Delete, $"/v1/sessions/{bad}"),
                    4 => (HttpMethod.Post, $"/v1/sessions/{bad}/archive"),
                    _ => (HttpMethod.Get, $"/v1/sessions/{bad}/events"),
                };
                return (method, path, method == HttpMethod.Post ? Json("{}") : null);
            }

            case 1:
            {
                // Bad values of the query parameters each endpoint reads.
                var (path, names) = random.Next(6) switch
                {
                    0 => ("/v1/agents", new[] { "limit", "page", "include_archived" }),
                    1 => ($"/v1/agents/{_agentId}", ["version"]),
                    2 => ($"/v1/agents/{_agentId}/versions", ["limit", "page"]),
                    3 => ("/v1/environments", ["limit", "page", "include_archived"]),
                    4 => ("/v1/sessions", ["limit", "page", "include_archived", "order", "statuses[]", "created_at[gte]", "agent_id", "agent_version"]),
                    _ => ($"/v1/sessions/{_sessionId}/events", ["limit", "page", "order", "types[]", "created_at[lt]"]),
                };
                return (HttpMethod.Get, $"{path}?{names[random.Next(names.Length)]}={Uri.EscapeDataString(BadScalar(random))}", null);
            }

            case 2:
                return Pick(random, endpoints) is var e ? (e.Method, e.Path, Raw(RandomBytes(random))) : default;
            case 3:
                return Pick(random, endpoints) is var d ? (d.Method, d.Path, Json(new string('[', 70 + random.Next(500)) + new string(']', 70))) : default;
            case 4:
                return Pick(random, endpoints) is var o ? (o.Method, o.Path, Json("{\"name\":\"" + new string('x', 70_000 + random.Next(10_000)) + "\"}")) : default;
            default:
            {
                // A plausible object with one field replaced by a value of the wrong type, an unknown enum, or garbage.
                var endpoint = Pick(random, endpoints);
                var field = endpoint.Fields[random.Next(endpoint.Fields.Length)];
                var body = BaseBody(endpoint.Path);
                body[field] = BadValue(random, field);
                if (random.Next(4) == 0 && endpoint.Fields[0] != field)
                {
                    body.Remove(endpoint.Fields[0]);
                }

                return (endpoint.Method, endpoint.Path, Json(body.ToJsonString()));
            }
        }
    }

    // Valid bodies that the one bad field spoils; with every field valid they would succeed and change the store.
    private System.Text.Json.Nodes.JsonObject BaseBody(string path) => path switch
    {
        "/v1/agents" => new() { ["name"] = "a", ["model"] = LucidTestServer.Model },
        "/v1/environments" => new() { ["name"] = "e" },
        "/v1/sessions" => new() { ["agent"] = _agentId, ["environment_id"] = _environmentId },
        _ when path.EndsWith("/events", StringComparison.Ordinal) => new() { ["events"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "user.message", ["content"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "text", ["text"] = "hi" }) }) },
        _ => [],
    };

    // A value that is wrong for the field: the wrong type, over its limit, or an unknown kind.
    private static System.Text.Json.Nodes.JsonNode? BadValue(Random random, string field)
    {
        System.Text.Json.Nodes.JsonNode? wrongType = random.Next(4) switch
        {
            0 => 42,
            1 => true,
            2 => new System.Text.Json.Nodes.JsonArray(1, 2, 3),
            _ => new System.Text.Json.Nodes.JsonObject { ["nested"] = new System.Text.Json.Nodes.JsonObject { ["deeper"] = "x" } },
        };
        if (random.Next(3) == 0)
        {
            return field is "metadata" or "tools" or "initial_events" or "events" or "resources" ? "a string" : wrongType;
        }

        return field switch
        {
            "name" => new string('n', 257 + random.Next(1000)),
            "description" => new string('d', 2049 + random.Next(1000)),
            "system" => new string('s', 100_001),
            "title" => new string('t', 1025 + random.Next(100)),
            "model" => random.Next(2) == 0 ? " " : new System.Text.Json.Nodes.JsonObject { ["id"] = "" },
            "version" => random.Next(2) == 0 ? -1 : 0,
            "agent" => random.Next(2) == 0 ? "env_wrongprefix" : new System.Text.Json.Nodes.JsonObject { ["type"] = "agent", ["id"] = "agent_missing", ["version"] = -3 },
            "environment_id" => "sesn_wrongprefix",
            "metadata" => random.Next(3) switch
            {
                0 => new System.Text.Json.Nodes.JsonObject([.. Enumerable.Range(0, 17 + random.Next(5)).Select(i => KeyValuePair.Create($"k{i}", (System.Text.Json.Nodes.JsonNode?)"v"))]),
                1 => new System.Text.Json.Nodes.JsonObject { [new string('k', 65)] = "v" },
                _ => new System.Text.Json.Nodes.JsonObject { ["k"] = 7 },
            },
            "tools" => new System.Text.Json.Nodes.JsonArray(random.Next(3) switch
            {
                0 => new System.Text.Json.Nodes.JsonObject { ["type"] = "teleporter" },
                1 => new System.Text.Json.Nodes.JsonObject { ["type"] = "custom", ["name"] = "bad name!", ["description"] = "d", ["input_schema"] = new System.Text.Json.Nodes.JsonObject() },
                _ => new System.Text.Json.Nodes.JsonObject { ["type"] = "agent_toolset_20260401", ["configs"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "web_search" }) },
            }),
            "initial_events" or "events" => random.Next(4) switch
            {
                0 => new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 101).Select(i => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["type"] = "user.interrupt" })]),
                1 => new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "agent.message", ["content"] = new System.Text.Json.Nodes.JsonArray() }),
                2 => new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "user.define_outcome", ["description"] = "x", ["rubric"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "file", ["file_id"] = "f" } }),
                _ => new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "user.message", ["content"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "image" }) }),
            },
            "resources" => new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "memory_store", ["memory_store_id"] = "memstore_x" }),
            _ => wrongType,
        };
    }

    private static (HttpMethod Method, string Path, string[] Fields) Pick(Random random, (HttpMethod, string, string[])[] endpoints) => endpoints[random.Next(endpoints.Length)];

    private static string BadId(Random random) => random.Next(5) switch
    {
        0 => "agent_",
        1 => "sesn_" + new string('z', 500),
        2 => "%C3%28",
        3 => "env_..%2F..%2Fetc",
        _ => "x" + random.Next(),
    };

    private static string BadScalar(Random random) => random.Next(6) switch
    {
        0 => "-5",
        1 => "99999999999",
        2 => "maybe",
        3 => "not-a-cursor",
        4 => "2026-13-45T99:99:99Z",
        _ => new string('q', 2000),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[1 + random.Next(300)];
        random.NextBytes(bytes);
        bytes[0] = (byte)'{';
        return bytes;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
