using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Lucid.Testing.Server;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class AgentTests(ConsoleFixture fixture)
{
    private static Model ModelParam => new BetaManagedAgentsModelConfigParams { ID = LucidTestServer.Model };

    [Fact]
    public async Task An_agent_page_shows_its_versions_and_the_diff_between_two()
    {
        var created = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "Release helper", Model = ModelParam, System = "Be precise." });
        await fixture.Alpha.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 1, System = "Be thorough." });
        await fixture.Alpha.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 2, Description = "Ships releases" });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);

        await page.GotoAsync("/console/agents");
        await page.GetByRole(AriaRole.Link, new() { Name = "Release helper" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Release helper" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.list tbody tr")).ToHaveCountAsync(3);
        var diff = page.Locator(".diff");
        await Assertions.Expect(diff).ToContainTextAsync("added:   \"description\": \"Ships releases\",");
        await Assertions.Expect(diff.Locator(".add, .del").Filter(new() { HasText = "Be thorough" })).ToHaveCountAsync(0);

        // Version 1 against version 2: the system prompt changed.
        await page.GetByLabel("From version").SelectOptionAsync("1");
        await page.GetByLabel("To version").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(diff.Locator(".del")).ToContainTextAsync(["\"system\": \"Be precise.\""]);
        await Assertions.Expect(diff.Locator(".add")).ToContainTextAsync(["\"system\": \"Be thorough.\""]);
        Assert.Contains("from=1&to=2", page.Url, StringComparison.Ordinal);
        await page.GotoAsync($"/console/agents/{created.ID}?from=one&to=9");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose two versions that exist");
        await page.GotoAsync($"/console/agents/{created.ID}?from=1&to=2");
        await ConsoleFixture.ScreenshotAsync(page, "agent");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_environment_page_shows_its_configuration()
    {
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "Build box" });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);

        await page.GotoAsync("/console/environments");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Build box" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Build box" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("pre")).ToContainTextAsync($"\"id\": \"{environment.ID}\"");
        await Assertions.Expect(page.Locator("pre")).ToContainTextAsync("\"networking\"");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_agents_or_environments()
    {
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "Alpha secret agent", Model = ModelParam, System = "alpha instructions" });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "Alpha secret env" });
        var page = await fixture.SignedInAsync(fixture.Server.BetaKey);

        await page.GotoAsync("/console/agents");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agents" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Alpha secret agent");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/console/environments");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Alpha secret env");

        foreach (var url in new[] { $"/console/agents/{agent.ID}", $"/console/agents/{agent.ID}?from=1&to=1", $"/console/environments/{environment.ID}" })
        {
            var response = await page.Context.APIRequest.GetAsync(url);
            Assert.Equal(404, response.Status);
            var html = await response.TextAsync();
            Assert.Contains("Not found", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Alpha secret", html, StringComparison.Ordinal);
            Assert.DoesNotContain("alpha instructions", html, StringComparison.Ordinal);
        }

        await page.Context.CloseAsync();
    }
}
