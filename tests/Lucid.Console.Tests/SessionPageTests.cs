using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class SessionPageTests(ConsoleFixture fixture)
{
    private const string Grader = "You are a strict, fair grader";

    private static int ToolResults(string body) => body.Split("\"tool_result\"").Length - 1;

    [Fact]
    public async Task A_session_with_a_thread_tool_calls_and_an_outcome_shows_lanes_transcript_and_verdicts()
    {
        var sessionId = await RunLeadSessionAsync();
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync($"/console/sessions/{sessionId}");

        // One lane per thread, with bars for model requests, tool calls and outcome evaluations.
        await Assertions.Expect(page.Locator(".lane")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".lane[data-lane='researcher'] .bar[data-kind='model']")).ToHaveCountAsync(1);
        Assert.Equal(4, await page.Locator(".lane[data-lane='Primary'] .bar[data-kind='model']").CountAsync());
        Assert.Equal(2, await page.Locator(".lane[data-lane='Primary'] .bar[data-kind='tool']").CountAsync());
        Assert.Equal(2, await page.Locator(".lane[data-lane='Primary'] .bar[data-kind='outcome']").CountAsync());

        // The transcript, grouped by model request, with the tool call folded.
        var transcript = page.Locator("#transcript-events");
        await Assertions.Expect(transcript).ToContainTextAsync("The researcher says 42.");
        Assert.True(await transcript.Locator(".round").CountAsync() >= 4);
        await Assertions.Expect(transcript.Locator("details summary", new() { HasText = "start_thread" })).ToBeVisibleAsync();

        // Both evaluations side by side: the verdicts, the finding, the fix list sent back.
        var outcomes = page.Locator(".card[aria-label^='Outcome']");
        await Assertions.Expect(outcomes.Locator("article")).ToHaveCountAsync(2);
        await Assertions.Expect(outcomes.Locator("article").Nth(0)).ToContainTextAsync("needs_revision");
        await Assertions.Expect(outcomes.Locator("article").Nth(0)).ToContainTextAsync("Name the source.");
        await Assertions.Expect(outcomes.Locator("article").Nth(1)).ToContainTextAsync("satisfied");
        await ConsoleFixture.ScreenshotAsync(page, "session");
        await ConsoleFixture.ScreenshotAsync(page, "session-overview", fullPage: false);
        await ConsoleFixture.AssertAccessibleAsync(page);

        // Filtering by type leaves only those events.
        await page.GotoAsync($"/console/sessions/{sessionId}?types=agent.message");
        Assert.Equal(await page.Locator("#transcript-events .ev").CountAsync(), await page.Locator("#transcript-events .ev[data-type='agent.message']").CountAsync());
        Assert.True(await page.Locator("#transcript-events .ev").CountAsync() >= 2);

        // The thread's lane links to its own transcript.
        await page.GotoAsync($"/console/sessions/{sessionId}");
        await page.Locator(".lane[data-lane='researcher'] .lane-name a").ClickAsync();
        await page.WaitForURLAsync($"**/console/sessions/{sessionId}/threads/*");
        await Assertions.Expect(page.Locator("#transcript-events")).ToContainTextAsync("The answer is 42.");
        await Assertions.Expect(page.Locator("#transcript-events")).Not.ToContainTextAsync("The researcher says 42.");
        await ConsoleFixture.ScreenshotAsync(page, "thread");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Another_workspace_sees_neither_the_session_nor_it_in_the_list()
    {
        var client = fixture.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "private", Model = new BetaManagedAgentsModelConfigParams { ID = Lucid.Testing.Server.LucidTestServer.Model } });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, Title = "alpha's secret session" });

        var page = await fixture.SignedInAsync(fixture.Server.BetaKey);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("alpha's secret session");
        var response = await page.GotoAsync($"/console/sessions/{session.ID}");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        var stream = await page.Context.APIRequest.GetAsync($"/console/sessions/{session.ID}/stream");
        Assert.Equal(404, stream.Status);
        await page.Context.CloseAsync();

        var alpha = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await Assertions.Expect(alpha.Locator("main")).ToContainTextAsync("alpha's secret session");
        await alpha.Context.CloseAsync();
    }

    [Fact]
    public async Task An_open_session_page_shows_new_events_as_they_commit()
    {
        var client = fixture.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "live", Model = new BetaManagedAgentsModelConfigParams { ID = Lucid.Testing.Server.LucidTestServer.Model } });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync($"/console/sessions/{session.ID}");
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live");

        // The test watches the transcript for a preview appearing, however briefly.
        await page.EvaluateAsync("""
            () => new MutationObserver(() => { if (document.querySelector('#transcript-events .preview')) { window.previewSeen = true; } })
                .observe(document.getElementById('transcript-events'), { childList: true, subtree: true })
            """);
        fixture.Server.Upstream.ReplyText("A reply that arrived while the page was open.");
        await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams
        {
            Events = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Say something." }] }],
        });

        var transcript = page.Locator("#transcript-events");
        await Assertions.Expect(transcript).ToContainTextAsync("Say something.");
        await Assertions.Expect(transcript).ToContainTextAsync("A reply that arrived while the page was open.");
        await Assertions.Expect(transcript.Locator(".ev[data-type='session.status_idle']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("idle");

        // The reply streamed as a preview (the fake provider streams word by word), which its committed event replaced.
        Assert.True(await page.EvaluateAsync<bool>("() => window.previewSeen === true"), "no preview was shown");
        await Assertions.Expect(transcript.Locator(".preview")).ToHaveCountAsync(0);
        await Assertions.Expect(transcript.GetByText("A reply that arrived while the page was open.")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    private async Task<string> RunLeadSessionAsync()
    {
        var client = fixture.Alpha;
        var model = new BetaManagedAgentsModelConfigParams { ID = Lucid.Testing.Server.LucidTestServer.Model };
        var researcher = await client.Beta.Agents.Create(new AgentCreateParams { Name = "researcher", Model = model, System = "You research." });
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = model,
            System = "You lead.",
            Multiagent = new BetaManagedAgentsMultiagent20261001Params
            {
                Subagents = new BetaManagedAgentsMultiagentSubagentsEnabledParams { PredefinedAgents = [researcher.ID], InlineAgents = new BetaManagedAgentsMultiagentInlineAgentsDisabledParams() },
            },
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });

        // Seven requests share the fake upstream: the researcher's, the grader's two and the lead's four.
        var graded = 0;
        for (var i = 0; i < 7; i++)
        {
            fixture.Server.Upstream.ReplyBy(request =>
                request.Body.Contains("You research.", StringComparison.Ordinal) ? ("The answer is 42.", null, null)
                : request.Body.Contains(Grader, StringComparison.Ordinal) ? (Interlocked.Increment(ref graded) == 1
                    ? """{"findings":[{"criterion":"names its source","evidence":"no source named","met":false,"fix":"Name the source."}],"explanation":"The source is missing.","verdict":"needs_revision"}"""
                    : """{"findings":[{"criterion":"names its source","evidence":"the researcher is named","met":true,"fix":""}],"explanation":"All criteria met.","verdict":"satisfied"}""", null, null)
                : ToolResults(request.Body) switch
                {
                    0 => (null, "start_thread", new { agent = "researcher", task = "Find the answer." }),
                    1 => (null, "wait_for_threads", new { }),
                    _ => ("The researcher says 42.", null, null),
                });
        }

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = lead.ID,
            EnvironmentID = environment.ID,
            Title = "lead with a researcher",
            InitialEvents =
            [
                new BetaManagedAgentsUserDefineOutcomeEventParams
                {
                    Description = "Find the answer and name the source.",
                    Rubric = new BetaManagedAgentsTextRubricParams { Content = "- It names its source." },
                    MaxIterations = 3,
                },
            ],
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                break;
            }
        }

        return session.ID;
    }
}
