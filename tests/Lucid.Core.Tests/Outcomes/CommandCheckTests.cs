using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Sandboxing;
using Lucid.Sessions;
using Lucid.Testing.Sessions;

namespace Lucid.Core.Tests.Outcomes;

/// <summary>Outcome command checks run like the agent's bash: in its sandbox, and only where bash may run.</summary>
public sealed class CommandCheckTests
{
    private static readonly AgentTool[] WithoutBash = [new AgentToolset { Configs = [new ToolConfig { Name = "bash", Enabled = false }] }];

    private static UserDefineOutcomeEvent Outcome(params OutcomeCheck[] checks) => new()
    {
        Description = "Write notes.txt.",
        Rubric = OutcomeRubric.Text("- notes.txt exists."),
        GraderModel = SessionHarness.GraderModelName,
        Checks = checks,
    };

    [Fact]
    public async Task A_command_check_for_an_agent_without_bash_is_refused_naming_the_field()
    {
        await using var h = await SessionHarness.StartAsync(tools: WithoutBash);

        var refused = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [Outcome(new FileExistsCheck("notes.txt"), new CommandCheck("test -f notes.txt"))], CancellationToken.None);
        var accepted = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [Outcome(new FileExistsCheck("notes.txt"))], CancellationToken.None);

        Assert.False(refused.IsSuccess);
        Assert.Equal(ErrorKind.InvalidRequest, refused.Error.Kind);
        Assert.Equal("event.checks[1].command", refused.Error.Field);
        Assert.Contains("bash", refused.Error.Message, StringComparison.Ordinal);
        Assert.True(accepted.IsSuccess, accepted.Error?.Message);
    }

    [Fact]
    public async Task A_command_check_in_the_initial_events_of_an_agent_without_bash_creates_no_session()
    {
        await using var h = await SessionHarness.StartAsync(tools: WithoutBash);

        var created = await h.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition { AgentId = h.Agent.Id, EnvironmentId = h.Session.EnvironmentId, InitialEvents = [Outcome(new CommandCheck("true"))] },
            CancellationToken.None);

        Assert.False(created.IsSuccess);
        Assert.Equal("initial_events[0].checks[0].command", created.Error.Field);
    }

    [Fact]
    public async Task Where_no_sandbox_can_be_made_a_command_check_is_refused()
    {
        var refused = new SandboxOptions { Isolation = ProcessIsolation.Refused, RefusalReason = "bwrap could not be started" };
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { Sandbox = refused });

        var sent = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [SessionHarness.Message("Go."), Outcome(new CommandCheck("true"))], CancellationToken.None);

        Assert.False(sent.IsSuccess);
        Assert.Equal("events[1].checks[0].command", sent.Error.Field);
        Assert.Contains("bwrap could not be started", sent.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_check_runs_in_the_sessions_sandbox()
    {
        const string Name = "LUCID_CHECK_TEST_API_KEY";
        Environment.SetEnvironmentVariable(Name, "sk-ant-must-not-leak");
        try
        {
            await using var h = await SessionHarness.StartAsync();
            h.Model.CallTool("write", new { file_path = "notes.txt", content = "notes" }).Reply("Done.");
            h.Grader.Reply(JsonSerializer.Serialize(new { findings = Array.Empty<object>(), explanation = "Fine.", verdict = "satisfied" }));

            var sent = await h.SendAsync(Outcome(new CommandCheck($"pwd; cat notes.txt; echo; echo \"key=${{{Name}:-absent}}\"; ls -A /")));
            var events = await h.WaitForIdleAsync(sent[0].Sequence - 1);

            var end = Assert.Single(events.Select(e => e.Event).OfType<SpanOutcomeEvaluationEndEvent>());
            var output = end.Checks?[0].Output ?? "";
            Assert.StartsWith("/workspace\nnotes\nkey=absent\n", output, StringComparison.Ordinal);
            Assert.DoesNotContain("lucid-test-", output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }
}
