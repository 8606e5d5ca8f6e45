using System.Net;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Sessions.Resources;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>Files mounted into sessions through the official SDK: at creation and later, read in the sandbox, listed, removed; and bad resources.</summary>
[Collection(FileServerGroup.Name)]
public sealed class SessionResourceConformanceTests(FileServerFixture fixture)
{
    [Fact]
    public async Task Files_mounted_at_creation_are_read_only_in_the_sandbox_at_their_default_and_given_paths()
    {
        var data = await FileServerFixture.UploadAsync(fixture.Alpha, "data.csv", "a,b\n1,2\n");
        var guide = await FileServerFixture.UploadAsync(fixture.Alpha, "guide.md", "# Guide");

        var (sessionId, results) = await fixture.RunToolsAsync(
            [
                new BetaManagedAgentsFileResourceParams { FileID = data.ID },
                new BetaManagedAgentsFileResourceParams { FileID = guide.ID, MountPath = "/workspace/docs/guide.md" },
            ],
            ("bash", new { command = $"cat /mnt/session/uploads/{data.ID}; cat docs/guide.md; echo; echo changed > /mnt/session/uploads/{data.ID} || echo refused" }));
        var session = await fixture.Alpha.Beta.Sessions.Retrieve(sessionId);
        var listed = await fixture.Alpha.Beta.Sessions.Resources.List(sessionId);

        var (text, isError) = Assert.Single(results);
        Assert.False(isError, text);
        Assert.True(text.Contains("a,b\n1,2\n# Guide\n", StringComparison.Ordinal), text);
        Assert.Contains("refused", text, StringComparison.Ordinal);
        session.Validate();
        var files = listed.Items.Select(r => { Assert.True(r.TryPickFile(out var file)); return file; }).ToList();
        Assert.Equal([data.ID, guide.ID], files.Select(f => f.FileID));
        Assert.Equal([$"/mnt/session/uploads/{data.ID}", "/workspace/docs/guide.md"], files.Select(f => f.MountPath));
        Assert.All(files, f => Assert.StartsWith("sesrsc_", f.ID, StringComparison.Ordinal));
        Assert.Equal(files.Select(f => f.ID), session.Resources.Select(r => r.ID));
    }

    [Fact]
    public async Task A_file_added_to_a_session_is_read_on_its_next_turn_and_a_deleted_resource_is_gone()
    {
        var model = $"scripted/later-{Guid.NewGuid():N}";
        var later = await FileServerFixture.UploadAsync(fixture.Alpha, "later.txt", "added later");
        fixture.Server.Scripted.With(model, new ScriptedChatClient()
            .Reply("Nothing to read yet.")
            .CallTool("bash", new { command = "cat /mnt/later.txt" })
            .Reply("Read it."));
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "later",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
        });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "later" });
        var session = await fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [Message("Wait.")],
        });
        await fixture.ToolResultsUntilIdleAsync(session.ID);

        var added = await fixture.Alpha.Beta.Sessions.Resources.Add(session.ID, new ResourceAddParams { FileID = later.ID, MountPath = "/mnt/later.txt" });
        await fixture.Alpha.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("Read it now.")] });
        var results = await fixture.ToolResultsUntilIdleAsync(session.ID, idle: 2);
        var retrieved = await fixture.Alpha.Beta.Sessions.Resources.Retrieve(added.ID, new ResourceRetrieveParams { SessionID = session.ID });
        var deleted = await fixture.Alpha.Beta.Sessions.Resources.Delete(added.ID, new ResourceDeleteParams { SessionID = session.ID });

        Assert.StartsWith("added later\n", Assert.Single(results).Text, StringComparison.Ordinal);
        Assert.True(retrieved.TryPickBetaManagedAgentsFileResource(out var file));
        Assert.Equal(later.ID, file.FileID);
        Assert.Equal(added.ID, deleted.ID);
        Assert.Empty((await fixture.Alpha.Beta.Sessions.Resources.List(session.ID)).Items);
        var gone = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Sessions.Resources.Retrieve(added.ID, new ResourceRetrieveParams { SessionID = session.ID }));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_resource_naming_another_workspaces_file_is_a_404_and_creates_nothing()
    {
        var theirs = await FileServerFixture.UploadAsync(fixture.Beta, "theirs.txt", "beta only");
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "a", Model = new BetaManagedAgentsModelConfigParams { ID = "scripted/unused" } });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "e" });
        var ours = await FileServerFixture.UploadAsync(fixture.Alpha, "ours.txt", "alpha");
        var before = await fixture.Server.SnapshotAsync();

        var refused = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources = [new BetaManagedAgentsFileResourceParams { FileID = ours.ID }, new BetaManagedAgentsFileResourceParams { FileID = theirs.ID }],
        }));
        var badPath = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources = [new BetaManagedAgentsFileResourceParams { FileID = ours.ID, MountPath = "/etc/passwd" }],
        }));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains(theirs.ID, refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badPath.StatusCode);
        Assert.Contains("mount_path", badPath.Message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Server.SnapshotAsync());
    }

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };
}
