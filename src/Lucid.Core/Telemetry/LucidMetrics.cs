using System.Diagnostics.Metrics;
using Lucid.Sessions;

namespace Lucid.Telemetry;

/// <summary>
/// Lucid's instruments on <see cref="LucidTelemetry.Meter"/>. Model requests' durations and token histograms
/// (<c>gen_ai.client.*</c>) come from Microsoft.Extensions.AI's <c>chat</c> instrumentation on the same meter name.
/// </summary>
internal static class LucidMetrics
{
    private static readonly UpDownCounter<long> Running = LucidTelemetry.Meter.CreateUpDownCounter<long>(
        "lucid.sessions.running", "{log}", "Sessions (lucid.log.kind=session) and threads (thread) running a turn now.");

    private static readonly Histogram<double> TurnDuration = LucidTelemetry.Meter.CreateHistogram<double>(
        "lucid.turn.duration", "s", "How long a turn ran, from its running status to its end.");

    private static readonly Counter<long> Tokens = LucidTelemetry.Meter.CreateCounter<long>(
        "lucid.model.tokens", "{token}", "Tokens of model requests and outcome graders, by gen_ai.token.type (input, output, cache_read, cache_creation).");

    private static readonly Counter<long> Committed = LucidTelemetry.Meter.CreateCounter<long>(
        "lucid.events.committed", "{event}", "Events committed to session and thread logs.");

    private static readonly Counter<long> ToolErrors = LucidTelemetry.Meter.CreateCounter<long>(
        "lucid.tool.errors", "{error}", "Tool calls Lucid ran whose result is an error, by gen_ai.tool.name and gen_ai.tool.type.");

    public static void TurnStarted(string kind) => Running.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.LogKind, kind));

    public static void TurnEnded(string kind, string? model, TimeSpan duration)
    {
        Running.Add(-1, new KeyValuePair<string, object?>(GenAiAttributes.LogKind, kind));
        if (TurnDuration.Enabled)
        {
            TurnDuration.Record(duration.TotalSeconds, new(GenAiAttributes.LogKind, kind), new(GenAiAttributes.RequestModel, model));
        }
    }

    public static void EventsCommitted(int count) => Committed.Add(count);

    public static void ToolFailed(string tool, string type) =>
        ToolErrors.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.ToolName, tool), new KeyValuePair<string, object?>(GenAiAttributes.ToolType, type));

    public static void TokensUsed(string model, SessionUsage usage)
    {
        if (!Tokens.Enabled)
        {
            return;
        }

        Add(usage.InputTokens, "input");
        Add(usage.OutputTokens, "output");
        Add(usage.CacheReadInputTokens, "cache_read");
        Add(usage.CacheCreationInputTokens, "cache_creation");
        void Add(long count, string type)
        {
            if (count > 0)
            {
                Tokens.Add(count, new KeyValuePair<string, object?>(GenAiAttributes.TokenType, type), new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model));
            }
        }
    }
}
