using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.DeploymentRuns;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Deployments;
using Lucid.Storage;
using Lucid.Testing.Server;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Conformance.Tests;

/// <summary>Deployments through the official SDK, against a server whose clock is a <see cref="FakeTimeProvider"/>.</summary>
public sealed class DeploymentConformanceTests : IAsyncLifetime
{
    // 09:00:30 in New York (EST, UTC-5).
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 14, 0, 30, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LucidTestServer _server = new();

    private AnthropicClient Client(string key) => new(new Anthropic.Core.ClientOptions { ApiKey = key, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private AnthropicClient Alpha => Client(_server.AlphaKey);

    public async Task InitializeAsync()
    {
        await _server.StartAsync(time: _time);
        for (var i = 0; i < 20; i++)
        {
            _server.Upstream.ReplyText("Report written.");
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(string AgentId, string EnvironmentId)> AgentAndEnvironmentAsync()
    {
        var agent = await Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "reporter", Model = LucidServerFixture.ModelParam });
        var environment = await Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        return (agent.ID, environment.ID);
    }

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private async Task<BetaManagedAgentsDeployment> CreateAsync(string? expression, string timezone = "America/New_York")
    {
        var (agentId, environmentId) = await AgentAndEnvironmentAsync();
        return await Alpha.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "daily report",
            Agent = agentId,
            EnvironmentID = environmentId,
            InitialEvents = [Message("Write the daily report.")],
            Schedule = expression is null ? null : new BetaManagedAgentsScheduleParams { Expression = expression, Timezone = timezone },
        });
    }

    // The scheduler runs on its own task: a tick's run appears after the clock moves, so wait for it (bounded).
    private async Task<IReadOnlyList<BetaManagedAgentsDeploymentRun>> RunsAsync(string deploymentId, int atLeast)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var runs = (await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { DeploymentID = deploymentId })).Items;
            if (runs.Count >= atLeast && runs.All(r => r.SessionID is not null || r.Error is not null))
            {
                return runs;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task A_schedule_a_minute_out_starts_a_session_whose_first_event_is_the_template()
    {
        var deployment = await CreateAsync("1 9 * * *");
        deployment.Validate();
        Assert.StartsWith("depl_", deployment.ID, StringComparison.Ordinal);
        Assert.Equal("active", deployment.Status.Raw());
        Assert.Equal(1, deployment.Agent.Version);
        Assert.Equal([Start.AddSeconds(30), Start.AddSeconds(30).AddDays(1)], deployment.Schedule?.UpcomingRunsAt?.Take(2) ?? []);
        Assert.Empty((await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { DeploymentID = deployment.ID })).Items);

        _time.Advance(TimeSpan.FromMinutes(1));
        var run = Assert.Single(await RunsAsync(deployment.ID, 1));

        run.Validate();
        Assert.StartsWith("drun_", run.ID, StringComparison.Ordinal);
        Assert.Null(run.Error);
        Assert.True(run.TriggerContext.TryPickSchedule(out var trigger));
        Assert.Equal(Start.AddSeconds(30), trigger.ScheduledAt);
        var session = await Alpha.Beta.Sessions.Retrieve(run.SessionID!);
        Assert.Equal(deployment.ID, session.DeploymentID);
        var first = (await Alpha.Beta.Sessions.Events.List(session.ID)).Items[0].Json;
        Assert.Equal("user.message", first.GetProperty("type").GetString());
        Assert.Equal("Write the daily report.", first.GetProperty("content")[0].GetProperty("text").GetString());
        var filtered = await Alpha.Beta.Sessions.List(new SessionListParams { DeploymentID = deployment.ID });
        Assert.Equal([session.ID], filtered.Items.Select(s => s.ID));
        Assert.NotNull((await Alpha.Beta.Deployments.Retrieve(deployment.ID)).Schedule?.LastRunAt);
    }

    [Fact]
    public async Task Pause_skips_ticks_and_unpause_runs_only_the_ticks_after_it()
    {
        var deployment = await CreateAsync("* * * * *");
        var paused = await Alpha.Beta.Deployments.Pause(deployment.ID);
        paused.Validate();
        Assert.Equal("paused", paused.Status.Raw());
        Assert.NotNull(paused.PausedReason);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // A manual run shows that the scheduler has had its chance at the paused ticks' time.
        await Alpha.Beta.Deployments.Run(deployment.ID);
        Assert.All(await RunsAsync(deployment.ID, 1), r => Assert.True(r.TriggerContext.TryPickManual(out _)));
        var unpaused = await Alpha.Beta.Deployments.Unpause(deployment.ID);
        Assert.Equal("active", unpaused.Status.Raw());
        Assert.Null(unpaused.PausedReason);

        _time.Advance(TimeSpan.FromMinutes(1));
        var runs = await RunsAsync(deployment.ID, 2);
        Assert.Equal(2, runs.Count);
        Assert.Single(runs, r => r.TriggerContext.TryPickSchedule(out _));
    }

    [Fact]
    public async Task Deployments_and_runs_are_filtered_by_creation_time()
    {
        var first = await CreateAsync(null);
        var firstRun = await Alpha.Beta.Deployments.Run(first.ID);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await CreateAsync(null);
        var secondRun = await Alpha.Beta.Deployments.Run(second.ID);
        var between = Start.AddMinutes(30);

        Assert.Equal([second.ID], (await Alpha.Beta.Deployments.List(new DeploymentListParams { CreatedAtGte = between })).Items.Select(d => d.ID));
        Assert.Equal([first.ID], (await Alpha.Beta.Deployments.List(new DeploymentListParams { CreatedAtLte = between })).Items.Select(d => d.ID));
        Assert.Equal([secondRun.ID], (await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { CreatedAtGt = between })).Items.Select(r => r.ID));
        Assert.Equal([firstRun.ID], (await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { CreatedAtLt = between })).Items.Select(r => r.ID));
        Assert.Equal([secondRun.ID], (await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { CreatedAtGte = secondRun.CreatedAt })).Items.Select(r => r.ID));
        Assert.Empty((await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { CreatedAtGt = secondRun.CreatedAt })).Items);
        Assert.Equal(2, (await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { CreatedAtLte = secondRun.CreatedAt })).Items.Count);
    }

    [Fact]
    public async Task Run_now_starts_one_session_listed_with_its_run()
    {
        var deployment = await CreateAsync(null);
        Assert.Null(deployment.Schedule);

        var run = await Alpha.Beta.Deployments.Run(deployment.ID);

        run.Validate();
        Assert.True(run.TriggerContext.TryPickManual(out _));
        Assert.NotNull(run.SessionID);
        var listed = await Alpha.Beta.DeploymentRuns.List(new DeploymentRunListParams { DeploymentID = deployment.ID, TriggerType = BetaManagedAgentsTriggerType.Manual });
        Assert.Equal([(run.ID, run.SessionID)], listed.Items.Select(r => (r.ID, r.SessionID)));
        Assert.Equal(run.SessionID, (await Alpha.Beta.DeploymentRuns.Retrieve(run.ID)).SessionID);
        Assert.Null((await Alpha.Beta.Deployments.Retrieve(deployment.ID)).Schedule);
        Assert.Equal(deployment.ID, (await Alpha.Beta.Sessions.Retrieve(run.SessionID)).DeploymentID);
    }

    [Fact]
    public async Task A_restart_during_a_tick_starts_no_duplicate_and_a_tick_missed_while_down_runs_once()
    {
        var deployment = await CreateAsync("*/5 * * * *");
        var store = _server.Service<ILucidStore>();
        var tick = new DateTimeOffset(2026, 12, 2, 14, 5, 0, TimeSpan.Zero);
        // What a process killed during the tick leaves behind: the tick claimed, its session never started.
        Assert.True(await store.TryAddRunAsync(new DeploymentRun
        {
            Id = "drun_crashed",
            WorkspaceId = "alpha",
            DeploymentId = deployment.ID,
            AgentId = deployment.Agent.ID,
            AgentVersion = 1,
            Trigger = DeploymentTrigger.Schedule,
            ScheduledAt = tick,
            CreatedAt = tick,
        }, CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(5));
        await _server.RestartAsync();
        await Alpha.Beta.Deployments.Run(deployment.ID);
        var afterRestart = await RunsAsync(deployment.ID, 2);
        Assert.Equal(["drun_crashed"], afterRestart.Where(r => r.TriggerContext.TryPickSchedule(out _)).Select(r => r.ID));
        var crashed = await Alpha.Beta.DeploymentRuns.Retrieve("drun_crashed");
        Assert.Null(crashed.SessionID);
        Assert.Equal("unknown_error", crashed.Error?.Json.GetProperty("type").GetString());

        // Down across three ticks (14:10, 14:15, 14:20): the latest runs once on start, the older ones are skipped.
        await _server.RestartAsync(() => _time.Advance(TimeSpan.FromMinutes(15)));
        var runs = await RunsAsync(deployment.ID, 3);
        var scheduled = runs.Where(r => r.TriggerContext.TryPickSchedule(out _)).ToList();
        Assert.Equal(2, scheduled.Count);
        Assert.True(scheduled[0].TriggerContext.TryPickSchedule(out var latest));
        Assert.Equal(tick.AddMinutes(15), latest.ScheduledAt);
    }

    [Fact]
    public async Task Update_replaces_what_it_names_and_a_null_schedule_makes_it_manual_only()
    {
        var deployment = await CreateAsync("0 9 * * *");

        var renamed = await Alpha.Beta.Deployments.Update(deployment.ID, new DeploymentUpdateParams { Name = "weekly report", Schedule = new BetaManagedAgentsScheduleParams { Expression = "0 9 * * 1", Timezone = "UTC" } });
        var manual = await Alpha.Beta.Deployments.Update(deployment.ID, new DeploymentUpdateParams { Schedule = null });

        renamed.Validate();
        Assert.Equal("weekly report", renamed.Name);
        Assert.Equal("0 9 * * 1", renamed.Schedule?.Expression);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), renamed.Schedule?.UpcomingRunsAt?[0]);
        Assert.Equal("weekly report", manual.Name);
        Assert.Null(manual.Schedule);
        Assert.Equal(deployment.InitialEvents.Count, manual.InitialEvents.Count);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Alpha.Beta.Deployments.Update(deployment.ID, new DeploymentUpdateParams { Schedule = new BetaManagedAgentsScheduleParams { Expression = "0 9 * *", Timezone = "UTC" } }));
        Assert.Equal("weekly report", (await Alpha.Beta.Deployments.Retrieve(deployment.ID)).Name);
    }

    [Fact]
    public async Task Bad_schedules_unknown_references_and_other_workspaces_are_refused_without_writing()
    {
        var (agentId, environmentId) = await AgentAndEnvironmentAsync();
        var before = await _server.SnapshotAsync();
        DeploymentCreateParams Params(string agent, string environment, string expression, string timezone) => new()
        {
            Name = "bad",
            Agent = agent,
            EnvironmentID = environment,
            InitialEvents = [Message("hi")],
            Schedule = new BetaManagedAgentsScheduleParams { Expression = expression, Timezone = timezone },
        };

        var cron = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Alpha.Beta.Deployments.Create(Params(agentId, environmentId, "61 * * * *", "UTC")));
        Assert.Contains("schedule.expression", cron.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Alpha.Beta.Deployments.Create(Params(agentId, environmentId, "0 0 * * * *", "UTC")));
        var zone = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Alpha.Beta.Deployments.Create(Params(agentId, environmentId, "0 9 * * *", "Mars/Olympus_Mons")));
        Assert.Contains("schedule.timezone", zone.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Alpha.Beta.Deployments.Create(Params("agent_missing", environmentId, "0 9 * * *", "UTC")));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Alpha.Beta.Deployments.Create(Params(agentId, "env_missing", "0 9 * * *", "UTC")));
        var beta = Client(_server.BetaKey);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Deployments.Create(Params(agentId, environmentId, "0 9 * * *", "UTC")));
        Assert.Equal(before, await _server.SnapshotAsync());

        var deployment = await Alpha.Beta.Deployments.Create(Params(agentId, environmentId, "0 9 * * 1-5", "Europe/Paris"));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Deployments.Retrieve(deployment.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Deployments.Run(deployment.ID));
        Assert.Empty((await beta.Beta.Deployments.List()).Items);
        var archived = await Alpha.Beta.Deployments.Archive(deployment.ID);
        Assert.NotNull(archived.ArchivedAt);
        Assert.Empty(archived.Schedule?.UpcomingRunsAt ?? []);
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Alpha.Beta.Deployments.Run(deployment.ID));
        Assert.DoesNotContain(deployment.ID, (await Alpha.Beta.Deployments.List()).Items.Select(d => d.ID));
    }
}
