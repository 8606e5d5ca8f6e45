using System.IO.Compression;
using System.Net;
using System.Text;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Skills;
using Anthropic.Models.Beta.Skills.Versions;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>Skills through the official SDK: uploaded, versioned, loaded by an agent, read in the sandbox; and bad uploads.</summary>
[Collection(FileServerGroup.Name)]
public sealed class SkillConformanceTests(FileServerFixture fixture)
{
    private const string Description = "Fills in PDF forms from a CSV of answers. Use when the user hands over a PDF form.";

    private static string SkillMd(string body, string name = "pdf-forms") => $"---\nname: {name}\ndescription: {Description}\n---\n{body}\n";

    private static BinaryContent Part(string path, string content) =>
        new() { Stream = new MemoryStream(Encoding.UTF8.GetBytes(content)), FileName = path, ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/markdown") };

    private static BinaryContent Zip(params (string Path, string Content)[] entries) => Zip(entries, symlink: null);

    private static BinaryContent Zip((string Path, string Content)[] entries, string? symlink)
    {
        var bytes = new MemoryStream();
        using (var archive = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(path).Open());
                writer.Write(content);
            }

            if (symlink is not null)
            {
                var link = archive.CreateEntry(symlink);
                link.ExternalAttributes = unchecked((int)0xA1FF0000); // a Unix symbolic link, lrwxrwxrwx
                using var writer = new StreamWriter(link.Open());
                writer.Write("/etc/passwd");
            }
        }

        return new BinaryContent { Stream = new MemoryStream(bytes.ToArray()), FileName = "skill.zip", ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip") };
    }

    [Fact]
    public async Task A_skill_and_its_second_version_load_into_a_session_listed_in_the_prompt_and_read_with_bash()
    {
        var created = await fixture.Alpha.Beta.Skills.Create(new SkillCreateParams
        {
            Files = [Part("pdf-forms/SKILL.md", SkillMd("Version one instructions.")), Part("pdf-forms/scripts/fill.py", "print('filled')\n")],
        });
        var second = await fixture.Alpha.Beta.Skills.Versions.Create(created.ID, new VersionCreateParams
        {
            Files = [Zip(("pdf-forms/SKILL.md", SkillMd("STEP-ONE: run scripts/fill.py on the form.")), ("pdf-forms/scripts/fill.py", "print('filled v2')\n"))],
        });
        var retrieved = await fixture.Alpha.Beta.Skills.Retrieve(created.ID);
        var versions = await fixture.Alpha.Beta.Skills.Versions.List(created.ID);

        created.Validate();
        Assert.StartsWith("skill_", created.ID, StringComparison.Ordinal);
        Assert.Equal("pdf-forms", created.DisplayName);
        Assert.Equal("custom", created.Source.Type.Raw());
        Assert.Equal(second.ID, retrieved.LatestVersionID);
        Assert.StartsWith("skver_", second.ID, StringComparison.Ordinal);
        Assert.Equal(("pdf-forms", Description, created.ID), (second.Name, second.Description, second.SkillID));
        Assert.Equal([second.ID, created.LatestVersionID], versions.Items.Select(v => v.ID));

        var model = $"scripted/skills-{Guid.NewGuid():N}";
        var script = new ScriptedChatClient()
            .CallTool("bash", new { command = "cat /mnt/skills/pdf-forms/SKILL.md; ls /mnt/skills/pdf-forms/scripts; echo x > /mnt/skills/pdf-forms/new || echo refused" })
            .Reply("Done.");
        fixture.Server.Scripted.With(model, script);
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "forms",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
            Skills = [new BetaManagedAgentsCustomSkillParams { SkillID = created.ID }],
        });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "forms" });
        var session = await fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Fill the form." }] }],
        });
        var (text, isError) = Assert.Single(await fixture.ToolResultsUntilIdleAsync(session.ID));

        Assert.True(Assert.Single(agent.Skills).TryPickBetaManagedAgentsCustom(out var pinned));
        Assert.Equal((created.ID, second.ID), (pinned.SkillID, pinned.Version));
        var prompt = script.Requests[0].AllText;
        Assert.Contains($"- pdf-forms: {Description} (/mnt/skills/pdf-forms/SKILL.md)", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("STEP-ONE", prompt, StringComparison.Ordinal);
        Assert.False(isError, text);
        Assert.Contains("STEP-ONE: run scripts/fill.py on the form.", text, StringComparison.Ordinal);
        Assert.Contains("fill.py\n", text, StringComparison.Ordinal);
        Assert.Contains("refused", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_downloads_as_a_zip_under_the_skills_name_and_deleting_the_skill_takes_its_versions()
    {
        var created = await fixture.Alpha.Beta.Skills.Create(new SkillCreateParams
        {
            DisplayName = "Release notes",
            Files = [Part("notes/SKILL.md", SkillMd("Write notes.", name: "release-notes")), Part("notes/templates/notes.md", "# Notes")],
        });
        var only = created.LatestVersionID;
        var refused = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Skills.Versions.Delete(only, new VersionDeleteParams { SkillID = created.ID }));
        using var download = await fixture.Alpha.Beta.Skills.Versions.Download(only, new VersionDownloadParams { SkillID = created.ID });
        using var zip = new ZipArchive(new MemoryStream(await ReadAllAsync(await download.ReadAsStream())));
        var hidden = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Beta.Beta.Skills.Retrieve(created.ID));
        var deleted = await fixture.Alpha.Beta.Skills.Delete(created.ID);

        Assert.Equal("Release notes", created.DisplayName);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(["release-notes/SKILL.md", "release-notes/templates/notes.md"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(created.ID, deleted.ID);
        var gone = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Skills.Versions.Retrieve(only, new VersionRetrieveParams { SkillID = created.ID }));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    public static TheoryData<string> BadUploads => ["parent path", "symlink", "no front matter", "two top directories", "oversized"];

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_bad_upload_is_refused_with_its_cause_and_stores_nothing(string bad)
    {
        var client = fixture.Client(fixture.Server.BetaKey);
        var before = (await client.Beta.Skills.List()).Items.Count;
        BinaryContent[] files = bad switch
        {
            "parent path" => [Zip(("pdf-forms/SKILL.md", SkillMd("Body.")), ("pdf-forms/../../etc/cron.d/x", "boom"))],
            "symlink" => [Zip([("pdf-forms/SKILL.md", SkillMd("Body."))], symlink: "pdf-forms/passwd")],
            "no front matter" => [Part("pdf-forms/SKILL.md", "# Just instructions\nNo front matter here.")],
            "two top directories" => [Part("pdf-forms/SKILL.md", SkillMd("Body.")), Part("other/notes.md", "notes")],
            _ => [Zip(("pdf-forms/SKILL.md", SkillMd("Body.")), ("pdf-forms/big.bin", new string('0', 31_000_000)))],
        };

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.Beta.Skills.Create(new SkillCreateParams { Files = files }));

        Assert.Equal(bad == "oversized" ? HttpStatusCode.RequestEntityTooLarge : HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(bad switch
        {
            "parent path" => "'..'",
            "symlink" => "symbolic link",
            "no front matter" => "front matter",
            "two top directories" => "one top-level directory",
            _ => "30,000,000 bytes",
        }, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await client.Beta.Skills.List()).Items.Count);
    }

    [Fact]
    public async Task An_agent_cannot_load_another_workspaces_skill_nor_an_anthropic_skill()
    {
        var theirs = await fixture.Beta.Beta.Skills.Create(new SkillCreateParams { Files = [Part("pdf-forms/SKILL.md", SkillMd("Theirs."))] });
        var agentsBefore = (await fixture.Alpha.Beta.Agents.List()).Items.Count;

        AgentCreateParams Agent(BetaManagedAgentsSkillParams skill) => new()
        {
            Name = "borrower",
            Model = new BetaManagedAgentsModelConfigParams { ID = "scripted/none" },
            Skills = [skill],
        };
        var foreign = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Agents.Create(Agent(new BetaManagedAgentsCustomSkillParams { SkillID = theirs.ID })));
        var anthropic = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Agents.Create(Agent(new BetaManagedAgentsAnthropicSkillParams { SkillID = "xlsx" })));

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains($"Skill '{theirs.ID}' does not exist in this workspace", foreign.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, anthropic.StatusCode);
        Assert.Contains("not available on a self-hosted Lucid server", anthropic.Message, StringComparison.Ordinal);
        Assert.Equal(agentsBefore, (await fixture.Alpha.Beta.Agents.List()).Items.Count);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
