using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Lesson validation by replay, a Lucid extension: the <c>validation</c> field of a dream's create request and of the
/// dream, over raw HTTP, with the official SDK still reading the dream.
/// </summary>
[Collection(ServerTestGroup.Name)]
public sealed class DreamValidationConformanceTests(LucidServerFixture server)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var http = server.Http(server.AlphaKey);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    // A store, and an imported session (a trial of no eval run) whose first event a scripted dreamer cites.
    private async Task<(string Store, string Session, string Model)> InputsAsync()
    {
        var store = await server.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Lessons" });
        var (_, report) = await SendAsync(HttpMethod.Post, "/v1/lucid/imports/openai-chat", $"[{{\"role\":\"user\",\"content\":\"Book trip {Guid.NewGuid():N}\"}},{{\"role\":\"assistant\",\"content\":\"Booked.\"}}]");
        var session = report.GetProperty("imported")[0].GetProperty("session_id").GetString()!;
        var events = await server.Alpha.Beta.Sessions.Events.List(session, new EventListParams { Limit = 1 });
        var evidence = new[] { events.Items[0].Json.GetProperty("id").GetString()! };
        var model = $"scripted/validated-{Guid.NewGuid():N}";
        server.Scripted.With(model, new ScriptedChatClient()
            .Reply(JsonSerializer.Serialize(new { lessons = new[] { new { title = "Confirm the trip", when = "booking", @do = "confirm first", evidence } } }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new[] { new { op = "add", path = "/lessons/confirm.md", sources = Array.Empty<string>(), title = "Confirm the trip", when = "before booking", @do = "Read the trip back to the user.", evidence, reason = "seen" } },
            })));
        return (store.ID, session, model);
    }

    private static string Body(string store, string session, string model, object validation) => JsonSerializer.Serialize(new
    {
        inputs = new object[] { new { type = "memory_store", memory_store_id = store }, new { type = "sessions", session_ids = new[] { session } } },
        model,
        review = "required",
        validation,
    });

    [Fact]
    public async Task A_dream_created_with_validation_shows_its_settings_and_each_lessons_result()
    {
        var (store, session, model) = await InputsAsync();
        var (status, created) = await SendAsync(HttpMethod.Post, "/v1/dreams", Body(store, session, model, new { trials = 3, min_lift = 0.25 }));
        Assert.True(status == HttpStatusCode.OK, created.ToString());
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(
            """{"trials":3,"unrelated_tasks":1,"min_lift":0.25,"max_trials":200,"planned_trials":null,"lessons":[]}""",
            created.GetProperty("validation").GetRawText());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement dream;
        do
        {
            await Task.Delay(20);
            (_, dream) = await SendAsync(HttpMethod.Get, $"/v1/dreams/{id}");
        }
        while (dream.GetProperty("review").GetProperty("state").GetString() != "pending" && dream.GetProperty("status").GetString() is "pending" or "running" && DateTime.UtcNow < deadline);

        // The session is no trial of an eval run: no task to replay, so the lesson is kept unmeasured and no trial runs.
        Assert.True(dream.GetProperty("review").GetProperty("state").GetString() == "pending", dream.ToString());
        var validation = dream.GetProperty("validation");
        Assert.Equal(0, validation.GetProperty("planned_trials").GetInt32());
        var lesson = Assert.Single(validation.GetProperty("lessons").EnumerateArray());
        Assert.Equal("/lessons/confirm.md", lesson.GetProperty("path").GetString());
        Assert.True(lesson.GetProperty("kept").GetBoolean());
        Assert.Equal(JsonValueKind.Null, lesson.GetProperty("lift").ValueKind);
        Assert.StartsWith("not measured", lesson.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("/lessons/confirm.md", dream.GetProperty("review").GetProperty("changes")[0].GetProperty("path").GetString());
        Assert.Equal("running", (await server.Alpha.Beta.Dreams.Retrieve(id)).Status.Raw());
    }

    [Theory]
    [InlineData("""{"trials":0}""", "validation.trials")]
    [InlineData("""{"unrelated_tasks":-1}""", "validation.unrelated_tasks")]
    [InlineData("""{"min_lift":1.5}""", "validation.min_lift")]
    [InlineData("""{"min_lift":"high"}""", "validation.min_lift")]
    [InlineData("""{"max_trials":0}""", "validation.max_trials")]
    [InlineData("""{"budget":10}""", "validation.budget")]
    [InlineData("\"yes\"", "validation")]
    public async Task Invalid_validation_settings_are_a_400_naming_the_field_and_create_nothing(string validation, string field)
    {
        var (store, session, model) = await InputsAsync();
        var body = Body(store, session, model, new { }).Replace("\"validation\":{}", $"\"validation\":{validation}", StringComparison.Ordinal);
        var before = (await SendAsync(HttpMethod.Get, "/v1/dreams?limit=100")).Body.GetProperty("data").GetArrayLength();

        var (status, error) = await SendAsync(HttpMethod.Post, "/v1/dreams", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(field, error.GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(before, (await SendAsync(HttpMethod.Get, "/v1/dreams?limit=100")).Body.GetProperty("data").GetArrayLength());
    }
}
