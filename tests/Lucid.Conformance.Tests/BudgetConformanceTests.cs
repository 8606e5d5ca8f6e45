using System.Net;
using System.Text;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Beta;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Testing.Server;
using static Lucid.Conformance.Tests.SessionStreams;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Session budgets, usage snapshots and stats through the official SDK, on a server whose catalog prices the fake model
/// at $3 and $15 per million input and output tokens.
/// </summary>
public sealed class BudgetConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync(engine: new SessionEngineOptions
    {
        Catalog = new ModelCatalog(new Dictionary<string, ModelInfo>
        {
            [LucidTestServer.Model] = new() { ContextWindow = 200_000, MaxOutputTokens = 8_000, InputUsdPerMTok = 3m, OutputUsdPerMTok = 15m, IsKnown = true },
        }),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AnthropicClient Client => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private static BetaManagedAgentsBudgetLimit Cents(string amount) => new() { MaxListCost = new BetaMonetaryAmount { Amount = amount, Currency = BetaCurrency.Usd } };

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private async Task<(string AgentId, string EnvironmentId)> AgentAsync(string model = LucidServerFixture.Model)
    {
        var agent = await Client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "spender",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
        });
        var environment = await Client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        return (agent.ID, environment.ID);
    }

    [Fact]
    public async Task A_budget_stops_the_session_at_the_request_that_reaches_it_refuses_messages_until_raised_and_usage_events_add_up()
    {
        // Each request costs 5,000 × $3 + 1,000 × $15 per million tokens: 3 cents. A 5-cent budget allows two.
        _server.Upstream
            .ReplyToolUse("glob", new { pattern = "*" }, inputTokens: 5_000, outputTokens: 1_000)
            .ReplyToolUse("glob", new { pattern = "*" }, inputTokens: 5_000, outputTokens: 1_000);

        var (agentId, environmentId) = await AgentAsync();
        var session = await Client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agentId, EnvironmentID = environmentId, Budget = Cents("5"), InitialEvents = [Message("Look around, forever.")],
        });
        Assert.Equal("5", session.Budget?.MaxListCost.Amount);

        var streamed = await UntilIdleAsync(Client, session.ID);

        Assert.Equal(2, _server.Upstream.Requests.Count);
        Assert.Equal(2, streamed.Count(e => TypeOf(e) == "agent.tool_result"));
        Assert.True(streamed[^1].TryPickSessionStatusIdleEvent(out var idle));
        Assert.True(idle.StopReason.TryPickBetaManagedAgentsSessionBudgetReached(out _));
        Assert.True(streamed[^2].TryPickSessionUsageEvent(out var usage));
        Assert.Equal((10_000L, 2_000L, "6"), (usage.Usage.InputTokens, usage.Usage.OutputTokens, usage.Usage.ListCost?.Amount));
        Assert.Equal("5", usage.Budget?.MaxListCost.Amount);

        var stopped = await Client.Beta.Sessions.Retrieve(session.ID);
        Assert.Equal((10_000L, "6"), (stopped.Usage.InputTokens, stopped.Usage.ListCost?.Amount));
        Assert.True(stopped.Stats.ActiveSeconds >= 0);
        Assert.True(stopped.Stats.DurationSeconds >= stopped.Stats.ActiveSeconds);

        // Refused until the budget is raised above what was spent.
        var refused = await Assert.ThrowsAsync<AnthropicConflictException>(() => Client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("More.")] }));
        Assert.Contains("reached its budget", refused.Message, StringComparison.Ordinal);
        var notRaised = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Budget = Cents("6") }));
        Assert.Contains("budget_not_raised", notRaised.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Upstream.Requests.Count);

        var raised = await Client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Budget = Cents("20") });
        Assert.Equal("20", raised.Budget?.MaxListCost.Amount);
        _server.Upstream.ReplyText("Done looking.", inputTokens: 1_000, outputTokens: 100);
        await Client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("Wrap up.")] });
        var all = await UntilIdleAsync(Client, session.ID, idles: 2);

        Assert.True(all[^1].TryPickSessionStatusIdleEvent(out var second));
        Assert.True(second.StopReason.TryPickBetaManagedAgentsSessionEndTurn(out _));
        var after = await Client.Beta.Sessions.Retrieve(session.ID);
        Assert.True(all.Last(e => TypeOf(e) == "session.usage").TryPickSessionUsageEvent(out var last));
        Assert.Equal(after.Usage.InputTokens, last.Usage.InputTokens);
        Assert.Equal(after.Usage.OutputTokens, last.Usage.OutputTokens);
        Assert.Equal(11_000L, after.Usage.InputTokens);
        Assert.Equal("7", after.Usage.ListCost?.Amount); // 6.3 cents, rounded up
        Assert.Equal(2, all.Count(e => TypeOf(e) == "session.usage"));
    }

    [Fact]
    public async Task An_update_logs_a_session_updated_event_with_only_the_fields_it_changed()
    {
        var (agentId, environmentId) = await AgentAsync();
        var session = await Client.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId, Title = "before", Budget = Cents("100") });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var streamed = FirstUpdateAsync(session.ID, guard.Token);

        await Client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Title = "after", Metadata = new Dictionary<string, string?> { ["team"] = "core" } });
        await Client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Title = "after", Budget = Cents("100") });
        var raised = await Client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Budget = Cents("250") });
        var listed = await Client.Beta.Sessions.Events.List(session.ID, new EventListParams { Limit = 100 });

        var updates = listed.Items.Where(e => e.Json.GetProperty("type").GetString() == "session.updated").ToList();
        Assert.Equal(2, updates.Count);
        Assert.True(updates[0].TryPickUpdated(out var named));
        Assert.Equal("after", named.Title);
        Assert.Equal("core", named.Metadata?["team"]);
        Assert.False(updates[0].Json.TryGetProperty("budget", out _));
        Assert.True(updates[1].TryPickUpdated(out var budgeted));
        Assert.Equal("250", budgeted.Budget?.MaxListCost.Amount);
        Assert.False(updates[1].Json.TryGetProperty("title", out _));
        Assert.False(updates[1].Json.TryGetProperty("metadata", out _));
        Assert.Equal("250", raised.Budget?.MaxListCost.Amount);
        Assert.True((await streamed).TryPickSessionUpdatedEvent(out var live));
        Assert.Equal(named.ID, live.ID);
    }

    private async Task<BetaManagedAgentsStreamSessionEvents> FirstUpdateAsync(string sessionId, CancellationToken cancellationToken)
    {
        await foreach (var e in Client.Beta.Sessions.Events.StreamStreaming(sessionId, new(), cancellationToken))
        {
            if (TypeOf(e) == "session.updated")
            {
                return e;
            }
        }

        throw new InvalidOperationException("The stream ended before a session.updated event.");
    }

    [Fact]
    public async Task An_advisor_needs_a_list_price_under_a_budget_and_is_not_consulted_once_the_budget_is_reached()
    {
        var (_, environmentId) = await AgentAsync();
        async Task<string> AdvisedAsync(string advisor) => (await Client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "advised",
            Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model },
            Multiagent = new BetaManagedAgentsMultiagent20261001Params { Advisor = new BetaManagedAgentsMultiagentAdvisorEnabledParams(advisor) },
        })).ID;

        var unpricedAgent = await AdvisedAsync("anthropic/claude-unpriced");
        var unpriced = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = unpricedAgent, EnvironmentID = environmentId, Budget = Cents("100"),
        }));
        Assert.Contains("model_not_budgetable: 'anthropic/claude-unpriced'", unpriced.Message, StringComparison.Ordinal);

        // The request that asks for the advisor costs 20,000 × $3 per million tokens: 6 cents, past a 5-cent budget.
        _server.Upstream.ReplyToolUse("advisor", new { question = "Is this right?" }, inputTokens: 20_000, outputTokens: 0);
        var session = await Client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = await AdvisedAsync(LucidServerFixture.Model), EnvironmentID = environmentId, Budget = Cents("5"), InitialEvents = [Message("Check this.")],
        });

        var streamed = await UntilIdleAsync(Client, session.ID);

        Assert.Single(_server.Upstream.Requests);
        var result = streamed.Single(e => TypeOf(e) == "agent.tool_result");
        Assert.True(result.Json.GetProperty("is_error").GetBoolean());
        Assert.Contains("budget is reached", result.Json.GetRawText(), StringComparison.Ordinal);
        Assert.True(streamed[^1].TryPickSessionStatusIdleEvent(out var idle));
        Assert.True(idle.StopReason.TryPickBetaManagedAgentsSessionBudgetReached(out _));
    }

    [Fact]
    public async Task A_budget_can_be_removed_but_not_added_and_needs_a_priced_model_and_a_valid_amount()
    {
        var (agentId, environmentId) = await AgentAsync();
        var plain = await Client.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId });
        Assert.Null(plain.Budget);
        var createOnly = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Sessions.Update(plain.ID, new SessionUpdateParams { Budget = Cents("100") }));
        Assert.Contains("budget_create_only", createOnly.Message, StringComparison.Ordinal);

        var capped = await Client.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId, Budget = Cents("100") });
        using var http = _server.Http(_server.AlphaKey);
        var removed = await http.PostAsync($"/v1/sessions/{capped.ID}", new StringContent("""{"budget": null}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await Client.Beta.Sessions.Retrieve(capped.ID)).Budget);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Sessions.Update(capped.ID, new SessionUpdateParams { Budget = Cents("100") }));

        var (unpricedAgent, _) = await AgentAsync("anthropic/claude-unpriced");
        var notBudgetable = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Sessions.Create(new SessionCreateParams { Agent = unpricedAgent, EnvironmentID = environmentId, Budget = Cents("100") }));
        Assert.Contains("model_not_budgetable", notBudgetable.Message, StringComparison.Ordinal);

        foreach (var body in new[]
        {
            """{"type": "limit", "max_list_cost": {"amount": "05", "currency": "USD"}}""",
            """{"type": "limit", "max_list_cost": {"amount": "0", "currency": "USD"}}""",
            """{"type": "limit", "max_list_cost": {"amount": "1.50", "currency": "USD"}}""",
            """{"type": "limit", "max_list_cost": {"amount": "100", "currency": "EUR"}}""",
            """{"type": "cap", "max_list_cost": {"amount": "100", "currency": "USD"}}""",
            """{"type": "limit"}""",
            "\"100\"",
        })
        {
            var response = await http.PostAsync("/v1/sessions", new StringContent($$"""{"agent": "{{agentId}}", "environment_id": "{{environmentId}}", "budget": {{body}}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("budget", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_deployment_stamps_its_budget_on_each_session_it_starts_and_an_unpriced_model_cannot_have_one()
    {
        var (agentId, environmentId) = await AgentAsync();
        var deployment = await Client.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "capped", Agent = agentId, EnvironmentID = environmentId, InitialEvents = [Message("Report.")], Budget = Cents("250"),
        });
        Assert.Equal("250", deployment.Budget?.MaxListCost.Amount);

        var run = await Client.Beta.Deployments.Run(deployment.ID);
        Assert.Equal("250", (await Client.Beta.Sessions.Retrieve(run.SessionID!)).Budget?.MaxListCost.Amount);

        // Null clears it: sessions started afterwards are uncapped.
        using var http = _server.Http(_server.AlphaKey);
        using var cleared = await http.PostAsync($"/v1/deployments/{deployment.ID}", new StringContent("""{"budget": null}""", System.Text.Encoding.UTF8, "application/json"));
        cleared.EnsureSuccessStatusCode();
        Assert.Null((await Client.Beta.Deployments.Retrieve(deployment.ID)).Budget);
        var uncapped = await Client.Beta.Deployments.Run(deployment.ID);
        Assert.Null((await Client.Beta.Sessions.Retrieve(uncapped.SessionID!)).Budget);

        var (unpricedAgent, _) = await AgentAsync("anthropic/claude-unpriced");
        var refused = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "unpriced", Agent = unpricedAgent, EnvironmentID = environmentId, InitialEvents = [Message("Report.")], Budget = Cents("250"),
        }));
        Assert.Contains("model_not_budgetable", refused.Message, StringComparison.Ordinal);
        Assert.Single((await Client.Beta.Deployments.List()).Items);
    }
}
