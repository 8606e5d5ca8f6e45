using System.Net;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>Outcomes whose rubric is a file of the Files API, through the official SDK.</summary>
[Collection(FileServerGroup.Name)]
public sealed class FileRubricConformanceTests(FileServerFixture fixture)
{
    [Fact]
    public async Task A_file_rubric_is_read_and_the_grader_grades_against_its_text()
    {
        const string Rubric = "- The poem names the lighthouse keeper.";
        var rubric = await FileServerFixture.UploadAsync(fixture.Alpha, "rubric.md", Rubric, "text/markdown");
        var (agent, environment) = await AgentAsync();
        fixture.Server.Upstream
            .ReplyText("The keeper, Ada, lights the lamp.")
            .ReplyText("""{"findings":[{"criterion":"names the keeper","evidence":"Ada","met":true,"fix":""}],"explanation":"The keeper is named.","verdict":"satisfied"}""");

        var session = await fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent,
            EnvironmentID = environment,
            InitialEvents =
            [
                new BetaManagedAgentsUserDefineOutcomeEventParams
                {
                    Description = "Write a line about a lighthouse.",
                    Rubric = new BetaManagedAgentsFileRubricParams { FileID = rubric.ID },
                },
            ],
        });
        var echoed = new List<BetaManagedAgentsStreamSessionEvents>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in fixture.Alpha.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            echoed.Add(e);
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                break;
            }
        }

        var outcome = echoed.Single(e => e.Json.GetProperty("type").GetString() == "user.define_outcome").Json.GetProperty("rubric");
        var evaluation = Assert.Single((await fixture.Alpha.Beta.Sessions.Retrieve(session.ID)).OutcomeEvaluations);
        Assert.Equal("file", outcome.GetProperty("type").GetString());
        Assert.Equal(rubric.ID, outcome.GetProperty("file_id").GetString());
        Assert.Equal("satisfied", evaluation.Result);
        Assert.Contains(Rubric, fixture.Server.Upstream.Requests[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_rubric_of_another_workspace_or_not_text_is_refused_and_nothing_is_stored()
    {
        var theirs = await FileServerFixture.UploadAsync(fixture.Beta, "rubric.md", "- Theirs.");
        var binary = await FileServerFixture.UploadAsync(fixture.Alpha, "rubric.bin", [0xff, 0xfe, 0x00, 0xc3], "application/octet-stream");
        var (agent, environment) = await AgentAsync();
        var before = await fixture.Server.SnapshotAsync();

        Task<BetaManagedAgentsSession> CreateAsync(string fileId) => fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent,
            EnvironmentID = environment,
            InitialEvents = [new BetaManagedAgentsUserDefineOutcomeEventParams { Description = "d", Rubric = new BetaManagedAgentsFileRubricParams { FileID = fileId } }],
        });
        var foreign = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => CreateAsync(theirs.ID));
        var notText = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => CreateAsync(binary.ID));

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notText.StatusCode);
        Assert.Contains("not UTF-8 text", notText.Message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Server.SnapshotAsync());
    }

    private async Task<(string Agent, string Environment)> AgentAsync()
    {
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "poet", Model = new BetaManagedAgentsModelConfigParams { ID = LucidTestServer.Model } });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "rubrics" });
        return (agent.ID, environment.ID);
    }
}
