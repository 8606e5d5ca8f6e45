using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Lucid.Events;
using Lucid.Telemetry;
using Lucid.Testing.Sessions;

namespace Lucid.Core.Tests.Telemetry;

/// <summary>
/// The engine's metrics, read with a <see cref="MeterListener"/>. The instruments are process-wide, so these tests run
/// alone (their collection is not run in parallel with any other test) and every count they see is their own turn's.
/// </summary>
[Collection(MetricsTestGroup.Name)]
public sealed class LucidMetricsTests
{
    [Fact]
    public async Task A_turn_reports_running_duration_tokens_committed_events_and_tool_errors()
    {
        using var metrics = new Recorded();
        await using var h = await SessionHarness.StartAsync();
        h.Model
            .CallTool("read", new { file_path = "missing.txt" })
            .Reply("Done.");

        var events = await h.RunTurnAsync("read a file that is not there");
        await metrics.UntilAsync("lucid.turn.duration", 1);

        // Running went up once for the session and back down.
        Assert.Equal([1, -1], metrics.Values("lucid.sessions.running", GenAiAttributes.LogKind, "session"));
        Assert.Single(metrics.Values("lucid.turn.duration", GenAiAttributes.RequestModel, SessionHarness.ModelName));

        // Tokens: what the two model requests' end events say, by type.
        var usage = events.Select(e => e.Event).OfType<SpanModelRequestEndEvent>().Select(e => e.ModelUsage).ToList();
        Assert.Equal(2, usage.Count);
        Assert.Equal(usage.Sum(u => u.InputTokens), metrics.Values("lucid.model.tokens", GenAiAttributes.TokenType, "input").Sum());
        Assert.Equal(usage.Sum(u => u.OutputTokens), metrics.Values("lucid.model.tokens", GenAiAttributes.TokenType, "output").Sum());

        // Every event of the log was counted once when it committed.
        Assert.Equal((await h.LogAsync()).Count, metrics.Values("lucid.events.committed").Sum());

        // One tool call failed.
        Assert.Equal([1], metrics.Values("lucid.tool.errors", GenAiAttributes.ToolName, "read"));
    }

    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _seen = new();
        private readonly SemaphoreSlim _recorded = new(0);

        public Recorded()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LucidTelemetry.Name && instrument.Name.StartsWith("lucid.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<double> Values(string instrument, string? tag = null, string? value = null) =>
            [.. _seen.Where(m => m.Instrument == instrument && (tag is null || (m.Tags.TryGetValue(tag, out var v) && Equals(v, value)))).Select(m => m.Value)];

        /// <summary>Waits until <paramref name="count"/> measurements of <paramref name="instrument"/> arrived (a turn's metrics end just after its idle commits).</summary>
        public async Task UntilAsync(string instrument, int count)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (Values(instrument).Count < count)
            {
                await _recorded.WaitAsync(guard.Token);
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            _recorded.Dispose();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _seen.Enqueue((instrument.Name, value, copy));
            _recorded.Release();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTestGroup
{
    public const string Name = "metrics";
}
