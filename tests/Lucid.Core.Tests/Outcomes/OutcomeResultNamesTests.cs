using System.Text.Json;
using Lucid.Events;
using Lucid.Json;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Core.Tests.Outcomes;

public sealed class OutcomeResultNamesTests
{
    [Theory]
    [InlineData(OutcomeResult.Pending, "pending")]
    [InlineData(OutcomeResult.Running, "running")]
    [InlineData(OutcomeResult.Evaluating, "evaluating")]
    [InlineData(OutcomeResult.NeedsRevision, "needs_revision")]
    [InlineData(OutcomeResult.Satisfied, "satisfied")]
    [InlineData(OutcomeResult.MaxIterationsReached, "max_iterations_reached")]
    [InlineData(OutcomeResult.Failed, "failed")]
    [InlineData(OutcomeResult.Interrupted, "interrupted")]
    public void Every_result_has_the_APIs_name_and_reads_back(OutcomeResult result, string name)
    {
        Assert.Equal(name, result.ToWire());
        Assert.True(OutcomeResultNames.TryParse(name, out var parsed));
        Assert.Equal(result, parsed);
    }

    [Fact]
    public void Stored_events_and_sessions_keep_the_names_they_were_written_with()
    {
        // What stores held before results were an enum: these must still read, and be written the same way.
        const string stored = """{"type":"span.outcome_evaluation_end","outcome_id":"outc_1","outcome_evaluation_start_id":"sevt_s","iteration":2,"result":"max_iterations_reached","explanation":"x","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0},"id":"sevt_e","processed_at":"2026-01-01T00:00:00+00:00"}""";
        var end = Assert.IsType<SpanOutcomeEvaluationEndEvent>(JsonSerializer.Deserialize(stored, LucidJsonContext.Default.SessionEvent));
        Assert.Equal(OutcomeResult.MaxIterationsReached, end.Result);
        Assert.Contains("\"result\":\"max_iterations_reached\"", JsonSerializer.Serialize<SessionEvent>(end, LucidJsonContext.Default.SessionEvent), StringComparison.Ordinal);

        var session = new Session
        {
            Id = "sesn_1", AgentId = "agent_1", AgentVersion = 1, EnvironmentId = "env_1", WorkDirectory = "/tmp/x",
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
            OutcomeEvaluations = [new OutcomeEvaluation { OutcomeId = "outc_1", Description = "d", Result = OutcomeResult.NeedsRevision }],
        };
        var json = JsonSerializer.Serialize(session, LucidJsonContext.Default.Session);
        Assert.Contains("\"result\":\"needs_revision\"", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.Replace("needs_revision", "NeedsRevision", StringComparison.Ordinal), LucidJsonContext.Default.Session));
    }
}
