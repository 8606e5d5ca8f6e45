using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class OutcomeConformanceTests(LucidServerFixture server)
{
    [Fact]
    public async Task An_outcome_defined_in_initial_events_is_graded_and_shows_in_outcome_evaluations()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "writer", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        server.Upstream
            .ReplyText("Draft without a title.")
            .ReplyText("""{"findings":[{"criterion":"has a title","evidence":"no title line","met":false,"fix":"Add a title line."}],"explanation":"The title is missing.","verdict":"needs_revision"}""")
            .ReplyText("Title: Sea\nDraft with a title.")
            .ReplyText("""{"findings":[{"criterion":"has a title","evidence":"first line is a title","met":true,"fix":""}],"explanation":"All criteria met.","verdict":"satisfied"}""");

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents =
            [
                new BetaManagedAgentsUserDefineOutcomeEventParams
                {
                    Description = "Write a two-line poem about the sea.",
                    Rubric = new BetaManagedAgentsTextRubricParams { Content = "- It has a title line." },
                    MaxIterations = 3,
                },
            ],
        });
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                break;
            }
        }

        var retrieved = await client.Beta.Sessions.Retrieve(session.ID);
        retrieved.Validate();
        // The log also holds Lucid's own record of the outcome's baseline, which neither the stream nor a listing serves.
        var listed = await client.Beta.Sessions.Events.List(session.ID);
        listed.Items.ToList().ForEach(e => e.Validate());
        Assert.Equal(streamed.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Select(e => e.Json.GetProperty("id").GetString()));
        string Type(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";
        var echo = streamed.First(e => Type(e) == "user.define_outcome").Json;
        var outcomeId = echo.GetProperty("outcome_id").GetString();
        var ends = streamed.Where(e => Type(e) == "span.outcome_evaluation_end").Select(e => e.Json).ToList();

        Assert.StartsWith("outc_", outcomeId, StringComparison.Ordinal);
        Assert.Equal(2, streamed.Count(e => Type(e) == "span.outcome_evaluation_start"));
        Assert.Equal(["needs_revision", "satisfied"], ends.Select(e => e.GetProperty("result").GetString()));
        Assert.All(ends, e => Assert.Equal(outcomeId, e.GetProperty("outcome_id").GetString()));
        Assert.Equal([0, 1], ends.Select(e => e.GetProperty("iteration").GetInt32()));
        var evaluation = Assert.Single(retrieved.OutcomeEvaluations);
        Assert.Equal(outcomeId, evaluation.OutcomeID);
        Assert.Equal("satisfied", evaluation.Result);
        Assert.Equal(1, evaluation.Iteration);
        Assert.Equal("All criteria met.", evaluation.Explanation);
        Assert.NotNull(evaluation.CompletedAt);
        Assert.Contains("Add a title line.", server.Upstream.Requests[^2].Body, StringComparison.Ordinal);
    }
}
