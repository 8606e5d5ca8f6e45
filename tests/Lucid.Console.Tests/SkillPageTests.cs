using System.Text;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Skills;
using Anthropic.Models.Beta.Skills.Versions;
using Lucid.Testing.Server;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class SkillPageTests(ConsoleFixture fixture)
{
    private static Anthropic.Core.BinaryContent Part(string path, string content) =>
        new() { Stream = new MemoryStream(Encoding.UTF8.GetBytes(content)), FileName = path, ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/markdown") };

    private static string SkillMd(string name, string body) =>
        $"---\nname: {name}\ndescription: Writes the weekly report. Use when asked for a report.\n---\n{body}\n";

    [Fact]
    public async Task A_skill_page_lists_its_versions_shows_its_files_as_text_and_the_agents_that_use_it()
    {
        var skill = await fixture.Alpha.Beta.Skills.Create(new SkillCreateParams
        {
            Files = [Part("report-writing/SKILL.md", SkillMd("report-writing", "First draft.")), Part("report-writing/template.md", "# Weekly report\n")],
        });
        var second = await fixture.Alpha.Beta.Skills.Versions.Create(skill.ID, new VersionCreateParams
        {
            Files = [Part("report-writing/SKILL.md", SkillMd("report-writing", "<script>document.title='owned'</script><b>Bold?</b> Use template.md.")), Part("report-writing/template.md", "# Weekly report v2\n")],
        });
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "Report writer",
            Model = new BetaManagedAgentsModelConfigParams { ID = LucidTestServer.Model },
            Skills = [new BetaManagedAgentsCustomSkillParams { SkillID = skill.ID }],
        });
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);

        await page.GotoAsync("/console/skills");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Locator($"a[href='/console/skills/{skill.ID}']").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "report-writing", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=versions-heading] tbody tr")).ToHaveCountAsync(2);
        var shown = page.Locator("pre.skill-file");
        await Assertions.Expect(shown).ToContainTextAsync("<script>document.title='owned'</script><b>Bold?</b> Use template.md.");
        await Assertions.Expect(page.Locator("pre.skill-file b, pre.skill-file script")).ToHaveCountAsync(0);
        Assert.NotEqual("owned", await page.TitleAsync());
        var users = page.Locator("section[aria-labelledby=agents-heading]");
        await Assertions.Expect(users.GetByRole(AriaRole.Link, new() { Name = "Report writer" })).ToHaveAttributeAsync("href", $"/console/agents/{agent.ID}");
        await Assertions.Expect(users).ToContainTextAsync(second.ID);
        await ConsoleFixture.ScreenshotAsync(page, "skill");
        await ConsoleFixture.AssertAccessibleAsync(page);

        // The first version, and another of its files.
        await page.GotoAsync($"/console/skills/{skill.ID}?version={skill.LatestVersionID}&file=template.md");
        await Assertions.Expect(shown).ToHaveTextAsync("# Weekly report\n");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_skills()
    {
        var skill = await fixture.Alpha.Beta.Skills.Create(new SkillCreateParams { Files = [Part("alpha-secret/SKILL.md", SkillMd("alpha-secret", "Alpha secret steps."))] });
        var page = await fixture.SignedInAsync(fixture.Server.BetaKey);

        await page.GotoAsync("/console/skills");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Skills" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(skill.ID);
        foreach (var url in new[] { $"/console/skills/{skill.ID}", $"/console/skills/{skill.ID}?version={skill.LatestVersionID}&file=SKILL.md" })
        {
            var response = await page.Context.APIRequest.GetAsync(url);
            Assert.Equal(404, response.Status);
            Assert.DoesNotContain("Alpha secret steps", await response.TextAsync(), StringComparison.Ordinal);
        }

        await page.Context.CloseAsync();
    }
}
