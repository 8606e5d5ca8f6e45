using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;

namespace Lucid.Conformance.Tests;

/// <summary>Git repositories cloned into sessions, from a repository served locally, through the official SDK.</summary>
[Collection(FileServerGroup.Name)]
public sealed class RepositoryResourceConformanceTests(FileServerFixture fixture) : IDisposable
{
    private const string Token = "ghp_secret-token-never-kept-0123";

    private readonly string _repository = Directory.CreateTempSubdirectory("lucid-repo-").FullName;

    [Fact]
    public async Task A_repository_is_cloned_at_a_commit_and_its_files_are_read_in_the_sandbox()
    {
        var (first, _) = await TwoCommitsAsync();

        var (sessionId, results) = await fixture.RunToolsAsync(
            [
                new BetaManagedAgentsGitHubRepositoryResourceParams { Url = _repository, Checkout = new BetaManagedAgentsCommitCheckout { Sha = first }, AuthorizationToken = Token },
                new BetaManagedAgentsGitHubRepositoryResourceParams { Url = $"file://{_repository}", MountPath = "/mnt/repos/latest", Checkout = new BetaManagedAgentsBranchCheckout { Name = "main" } },
            ],
            ("bash", new { command = $"cat {Path.GetFileName(_repository)}/notes.txt; cat /mnt/repos/latest/notes.txt" }));
        var session = await fixture.Alpha.Beta.Sessions.Retrieve(sessionId);
        var raw = JsonSerializer.Serialize(session.RawData);

        var (text, isError) = Assert.Single(results);
        Assert.False(isError, text);
        Assert.StartsWith("first version\nsecond version\n", text, StringComparison.Ordinal);
        Assert.True(session.Resources[0].TryPickGitHubRepository(out var cloned));
        Assert.Equal($"/workspace/{Path.GetFileName(_repository)}", cloned.MountPath);
        Assert.NotNull(cloned.Checkout);
        Assert.True(cloned.Checkout.TryPickBetaManagedAgentsCommit(out var commit));
        Assert.Equal(first, commit.Sha);
        Assert.DoesNotContain(Token, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, await fixture.Server.SnapshotAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, await File.ReadAllTextAsync(Path.Combine(fixture.Server.WorkDirectoriesRoot, sessionId, Path.GetFileName(_repository), ".git", "config")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clone_that_fails_is_a_400_naming_the_cause_and_leaves_nothing()
    {
        var (first, _) = await TwoCommitsAsync();
        var agent = await fixture.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "a", Model = new BetaManagedAgentsModelConfigParams { ID = "scripted/unused" } });
        var environment = await fixture.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "e" });
        var before = await fixture.Server.SnapshotAsync();

        Task<BetaManagedAgentsSession> CreateAsync(params BetaManagedAgentsGitHubRepositoryResourceParams[] repositories) =>
            fixture.Alpha.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, Resources = [.. repositories] });
        var missing = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => CreateAsync(
            new BetaManagedAgentsGitHubRepositoryResourceParams { Url = _repository, Checkout = new BetaManagedAgentsCommitCheckout { Sha = first } },
            new BetaManagedAgentsGitHubRepositoryResourceParams { Url = _repository + "-missing", AuthorizationToken = Token }));
        var noBranch = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => CreateAsync(
            new BetaManagedAgentsGitHubRepositoryResourceParams { Url = _repository, Checkout = new BetaManagedAgentsBranchCheckout { Name = "no-such-branch" } }));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains($"Cloning {_repository}-missing failed", missing.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, missing.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noBranch.StatusCode);
        Assert.Contains("no-such-branch", noBranch.Message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Server.SnapshotAsync());
    }

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    // A repository with notes.txt in two versions on branch main; returns both commits.
    private async Task<(string First, string Second)> TwoCommitsAsync()
    {
        await GitAsync("init", "--quiet", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(_repository, "notes.txt"), "first version\n");
        await GitAsync("add", "notes.txt");
        await GitAsync("commit", "--quiet", "-m", "first");
        var first = await GitAsync("rev-parse", "HEAD");
        await File.WriteAllTextAsync(Path.Combine(_repository, "notes.txt"), "second version\n");
        await GitAsync("commit", "--quiet", "-am", "second");
        return (first, await GitAsync("rev-parse", "HEAD"));
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "user.name=Tests", "-c", "user.email=tests@example.com", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
        var output = await git.StandardOutput.ReadToEndAsync();
        var error = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        return git.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
    }
}
