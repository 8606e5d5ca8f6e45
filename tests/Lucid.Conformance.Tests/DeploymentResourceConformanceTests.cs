using System.Diagnostics;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>Deployments whose sessions get files and git repositories, through the official SDK.</summary>
[Collection(FileServerGroup.Name)]
public sealed class DeploymentResourceConformanceTests(FileServerFixture fixture) : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("lucid-deploy-repo-").FullName;

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private async Task<(string AgentId, string EnvironmentId)> AgentAndEnvironmentAsync(int sessions)
    {
        var model = $"scripted/deployed-{Guid.NewGuid():N}";
        var script = new ScriptedChatClient();
        for (var i = 0; i < sessions; i++)
        {
            script.Reply("Read them.");
        }

        fixture.Server.Scripted.With(model, script);
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "reader", Model = new BetaManagedAgentsModelConfigParams { ID = model } });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        return (agent.ID, environment.ID);
    }

    [Fact]
    public async Task Each_run_of_a_deployment_mounts_its_files_and_clones_its_repositories()
    {
        await GitAsync("init", "--quiet", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(_repository, "notes.txt"), "from the repository\n");
        await GitAsync("add", "notes.txt");
        await GitAsync("commit", "--quiet", "-m", "notes");
        var data = await FileServerFixture.UploadAsync(fixture.Alpha, "data.csv", "a,b\n1,2\n");
        var (agentId, environmentId) = await AgentAndEnvironmentAsync(sessions: 2);

        var deployment = await fixture.Alpha.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "nightly reading",
            Agent = agentId,
            EnvironmentID = environmentId,
            InitialEvents = [Message("Read the data and the notes.")],
            Resources =
            [
                new BetaManagedAgentsFileResourceParams { FileID = data.ID, MountPath = "/workspace/input/data.csv" },
                new BetaManagedAgentsGitHubRepositoryResourceParams { Url = _repository, Checkout = new BetaManagedAgentsBranchCheckout { Name = "main" } },
            ],
        });

        deployment.Validate();
        Assert.Equal(2, deployment.Resources.Count);
        Assert.True(deployment.Resources[0].TryPickFile(out var file));
        Assert.Equal((data.ID, "/workspace/input/data.csv"), (file.FileID, file.MountPath));
        Assert.True(deployment.Resources[1].TryPickGitHubRepository(out var repository));
        Assert.Equal((_repository, $"/workspace/{Path.GetFileName(_repository)}"), (repository.Url, repository.MountPath));
        Assert.Equal("main", repository.Checkout?.Json.GetProperty("name").GetString());
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(deployment.RawData["resources"]),
            System.Text.Json.JsonSerializer.Serialize((await fixture.Alpha.Beta.Deployments.Retrieve(deployment.ID)).RawData["resources"]));

        // Each run's session gets a copy of the file and a clone of its own.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var run = await fixture.Alpha.Beta.Deployments.Run(deployment.ID);
            run.Validate();
            Assert.Null(run.Error);
            Assert.NotNull(run.SessionID);
            var session = await fixture.Alpha.Beta.Sessions.Retrieve(run.SessionID);
            session.Validate();
            Assert.True(session.Resources[0].TryPickFile(out var mounted));
            Assert.Equal((data.ID, "/workspace/input/data.csv"), (mounted.FileID, mounted.MountPath));
            Assert.True(session.Resources[1].TryPickGitHubRepository(out var cloned));
            Assert.Equal(_repository, cloned.Url);
            Assert.Equal("from the repository\n", await File.ReadAllTextAsync(Path.Combine(fixture.Server.WorkDirectoryOf(run.SessionID), Path.GetFileName(_repository), "notes.txt")));
        }
    }

    [Fact]
    public async Task A_repository_token_a_bad_mount_path_or_another_workspaces_file_is_refused_and_nothing_is_stored()
    {
        var ours = await FileServerFixture.UploadAsync(fixture.Alpha, "ours.txt", "alpha");
        var theirs = await FileServerFixture.UploadAsync(fixture.Beta, "theirs.txt", "beta only");
        var (agentId, environmentId) = await AgentAndEnvironmentAsync(sessions: 0);
        DeploymentCreateParams Params(params Anthropic.Models.Beta.Deployments.Resource[] resources) => new()
        {
            Name = "refused",
            Agent = agentId,
            EnvironmentID = environmentId,
            InitialEvents = [Message("hi")],
            Resources = resources,
        };
        var before = await fixture.Server.SnapshotAsync();

        var token = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => fixture.Alpha.Beta.Deployments.Create(Params(
            new BetaManagedAgentsFileResourceParams { FileID = ours.ID },
            new BetaManagedAgentsGitHubRepositoryResourceParams { Url = "https://example.com/acme/private.git", AuthorizationToken = "ghp_never-kept" })));
        Assert.Contains("resources[1].authorization_token", token.Message, StringComparison.Ordinal);
        var path = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => fixture.Alpha.Beta.Deployments.Create(Params(
            new BetaManagedAgentsFileResourceParams { FileID = ours.ID, MountPath = "/etc/passwd" })));
        Assert.Contains("mount_path", path.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => fixture.Alpha.Beta.Deployments.Create(Params(new BetaManagedAgentsFileResourceParams { FileID = theirs.ID })));

        var after = await fixture.Server.SnapshotAsync();
        Assert.Equal(before, after);
        Assert.DoesNotContain("ghp_never-kept", after, StringComparison.Ordinal);
    }

    private async Task GitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "user.name=Tests", "-c", "user.email=tests@example.com", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
        var error = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error}");
    }
}
