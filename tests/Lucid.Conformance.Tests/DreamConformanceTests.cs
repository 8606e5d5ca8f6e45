using Anthropic.Services.Beta;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Dreams;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Anthropic.Models.Beta.Sessions;
using Lucid.Models;
using Lucid.Testing.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class DreamConformanceTests(LucidServerFixture server)
{
    private IDreamService Dreams => server.Alpha.Beta.Dreams;

    private (string Model, ScriptedChatClient Client) NewDreamer()
    {
        var model = $"scripted/dreamer-{Guid.NewGuid():N}";
        var client = new ScriptedChatClient();
        server.Scripted.With(model, client);
        return (model, client);
    }

    private async Task<(string Store, List<string> Sessions)> InputsAsync(int sessions = 2)
    {
        var client = server.Alpha;
        var store = await client.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Lessons" });
        await client.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/lessons/old.md", Content = "An old lesson." });
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "worker", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var ids = new List<string>();
        for (var i = 0; i < sessions; i++)
        {
            ids.Add((await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID })).ID);
        }

        return (store.ID, ids);
    }

    private static DreamCreateParams Params(string store, IReadOnlyList<string> sessions, string model, bool updateExisting = false, string? instructions = null) => new()
    {
        Inputs = [new BetaDreamMemoryStoreInput { MemoryStoreID = store }, new BetaDreamSessionsInput { SessionIds = [.. sessions] }],
        Model = model,
        Instructions = instructions,
        OutputBehavior = updateExisting ? new BetaOutputBehaviorUpdateExisting { MemoryStoreID = store } : new BetaOutputBehaviorCreateNew(),
    };

    private async Task<BetaDream> PollAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var dream = await Dreams.Retrieve(id);
            if (dream.Status.Raw() is "completed" or "failed" or "canceled" || DateTime.UtcNow > deadline)
            {
                return dream;
            }

            await Task.Delay(20);
        }
    }

    // A canceled dream's background work ends with a note in its session; wait for it so no later test sees it write.
    private async Task SettledAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var dream = await Dreams.Retrieve(id);
            if (dream.SessionID is { } session && (await server.Alpha.Beta.Sessions.Events.List(session, new Anthropic.Models.Beta.Sessions.Events.EventListParams { Limit = 100 })).Items
                .Any(e => e.Json.ToString().Contains("Stopped:", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Dream {id} did not settle.");
    }

    private static ScriptedChatClient Blocking(ScriptedChatClient client, TaskCompletionSource started) => client.Then(async (_, ct) =>
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    [Fact]
    public async Task A_dream_is_created_pending_and_polled_to_completed_with_usage_outputs_and_its_session()
    {
        var (store, sessions) = await InputsAsync();
        var (model, dreamer) = NewDreamer();
        dreamer.Reply("""{"lessons":[]}""").Reply("""{"operations":[]}""");

        var created = await Dreams.Create(Params(store, sessions, model, instructions: "Keep it short."));
        Assert.StartsWith("drm_", created.ID, StringComparison.Ordinal);
        Assert.Equal("pending", created.Status.Raw());
        Assert.Empty(created.Outputs);
        Assert.Equal(model, created.Model.ID);
        Assert.Equal(0, created.Usage.InputTokens);

        var done = await PollAsync(created.ID);
        Assert.Equal("completed", done.Status.Raw());
        Assert.NotNull(done.EndedAt);
        Assert.Null(done.Error);
        Assert.Equal((20, 10), (done.Usage.InputTokens, done.Usage.OutputTokens));
        var output = Assert.Single(done.Outputs).MemoryStoreID;
        Assert.NotEqual(store, output);
        var memories = await server.Alpha.Beta.MemoryStores.Memories.List(output, new MemoryListParams { PathPrefix = "/dreams/" });
        Assert.Contains(memories.Items, m => m.Json.ToString().Contains($"/dreams/{created.ID}.md", StringComparison.Ordinal));

        Assert.NotNull(done.SessionID);
        var events = await server.Alpha.Beta.Sessions.Events.List(done.SessionID!);
        Assert.Contains(events.Items, e => e.Json.ToString().Contains("read_sessions", StringComparison.Ordinal));

        var listed = await Dreams.List(new DreamListParams { Statuses = [BetaDreamStatus.Completed] });
        Assert.Contains(listed.Items, d => d.ID == created.ID);
        Assert.DoesNotContain((await Dreams.List(new DreamListParams { Statuses = [BetaDreamStatus.Pending] })).Items, d => d.ID == created.ID);
        var archived = await Dreams.Archive(created.ID);
        Assert.NotNull(archived.ArchivedAt);
        Assert.DoesNotContain((await Dreams.List()).Items, d => d.ID == created.ID);
        Assert.Contains((await Dreams.List(new DreamListParams { IncludeArchived = true })).Items, d => d.ID == created.ID);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Cancel(created.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => server.Beta.Beta.Dreams.Retrieve(created.ID));
    }

    [Fact]
    public async Task A_running_dream_is_canceled_and_stays_canceled()
    {
        var (store, sessions) = await InputsAsync();
        var (model, dreamer) = NewDreamer();
        var started = new TaskCompletionSource();
        Blocking(dreamer, started);

        var created = await Dreams.Create(Params(store, sessions, model));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("running", (await Dreams.Retrieve(created.ID)).Status.Raw());
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Archive(created.ID));

        var canceled = await Dreams.Cancel(created.ID);
        Assert.Equal("canceled", canceled.Status.Raw());
        Assert.NotNull(canceled.EndedAt);
        Assert.Equal("canceled", (await Dreams.Cancel(created.ID)).Status.Raw());
        Assert.Equal("canceled", (await PollAsync(created.ID)).Status.Raw());
        Assert.NotNull((await Dreams.Archive(created.ID)).ArchivedAt);
        await SettledAsync(created.ID);
    }

    [Fact]
    public async Task A_second_update_existing_dream_on_a_held_store_is_a_409_until_the_first_stops()
    {
        var (store, sessions) = await InputsAsync();
        var (model, dreamer) = NewDreamer();
        var started = new TaskCompletionSource();
        Blocking(dreamer, started);
        var first = await Dreams.Create(Params(store, sessions, model, updateExisting: true));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var held = await Assert.ThrowsAsync<AnthropicConflictException>(() => Dreams.Create(Params(store, sessions, model, updateExisting: true)));
        Assert.Contains(first.ID, held.Message, StringComparison.Ordinal);
        var (otherModel, other) = NewDreamer();
        var otherStarted = new TaskCompletionSource();
        Blocking(other, otherStarted);
        var createNew = await Dreams.Create(Params(store, sessions, otherModel));
        await otherStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Dreams.Cancel(createNew.ID);

        await Dreams.Cancel(first.ID);
        var (thirdModel, third) = NewDreamer();
        var thirdStarted = new TaskCompletionSource();
        Blocking(third, thirdStarted);
        var again = await Dreams.Create(Params(store, sessions, thirdModel, updateExisting: true));
        await thirdStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("update_existing", again.OutputBehavior.Json.GetProperty("type").GetString());
        await Dreams.Cancel(again.ID);
        foreach (var id in new[] { first.ID, createNew.ID, again.ID })
        {
            await SettledAsync(id);
        }
    }

    [Fact]
    public async Task Invalid_dreams_are_rejected_with_the_right_status()
    {
        var (store, sessions) = await InputsAsync(1);
        var (model, _) = NewDreamer();
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, [], model)));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, [.. Enumerable.Range(0, 101).Select(i => $"sesn_{i:D3}")], model)));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, [sessions[0], sessions[0]], model)));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, sessions, model, instructions: new string('x', 4097))));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, sessions, model, instructions: "")));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Dreams.Create(Params("memstore_unknown0000000000000", sessions, model)));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Dreams.Create(Params(store, ["sesn_unknown00000000000000"], model)));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(Params(store, sessions, "scripted/nobody")));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Dreams.Create(new DreamCreateParams
        {
            Inputs = [new BetaDreamMemoryStoreInput { MemoryStoreID = store }, new BetaDreamSessionsInput { SessionIds = [.. sessions] }],
            Model = model,
            OutputBehavior = new BetaOutputBehaviorUpdateExisting { MemoryStoreID = "memstore_other00000000000000" },
        }));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Dreams.Retrieve("drm_missing000000000000000"));
    }

    [Fact]
    public async Task A_dream_whose_model_fails_ends_failed_with_an_error_and_keeps_what_it_wrote()
    {
        var (store, sessions) = await InputsAsync();
        var (model, dreamer) = NewDreamer();
        dreamer.Throw(new ModelRequestException(ModelErrorKind.RequestFailed, "upstream 500", 500));

        var failed = await PollAsync((await Dreams.Create(Params(store, sessions, model))).ID);

        Assert.Equal("failed", failed.Status.Raw());
        Assert.Equal("model_error", failed.Error?.Type);
        Assert.Contains("upstream 500", failed.Error?.Message, StringComparison.Ordinal);
        var output = Assert.Single(failed.Outputs).MemoryStoreID;
        var kept = await server.Alpha.Beta.MemoryStores.Memories.List(output, new MemoryListParams { View = BetaManagedAgentsMemoryView.Full });
        Assert.Contains(kept.Items, m => m.Json.ToString().Contains("An old lesson.", StringComparison.Ordinal));
        Assert.Contains(kept.Items, m => m.Json.ToString().Contains("failed (model_error)", StringComparison.Ordinal));
    }
}
