using System.Collections.ObjectModel;
using System.Diagnostics;
using Lucid.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Lucid.Testing.Telemetry;

/// <summary>
/// Records the engine's spans with the OpenTelemetry SDK's in-memory exporter. Tests run in parallel and every engine
/// in the process reports to the same source, so a test reads the traces of its own session only: the traces whose
/// <c>invoke_agent</c> span names that session.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly Spans _exported;
    private readonly TracerProvider _provider;
    private readonly Lock _lock = new();
    private TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts recording every span of <see cref="LucidTelemetry.Name"/>.</summary>
    public TraceRecorder()
    {
        _exported = new Spans(this);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(LucidTelemetry.Name)
            .AddInMemoryExporter(_exported)
            .Build() ?? throw new InvalidOperationException("The tracer provider could not be built.");
    }

    /// <summary>
    /// Waits until <paramref name="turns"/> <c>invoke_agent</c> spans of <paramref name="sessionId"/> (its threads'
    /// included) have ended, and returns every span of their traces. A turn's span ends just after its idle event is
    /// committed, so a test that saw the idle waits here for the span, not on a clock.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> TracesOfAsync(string sessionId, int turns)
    {
        using var timeout = new CancellationTokenSource(Guard);
        while (true)
        {
            Task ended;
            lock (_lock)
            {
                var roots = _exported.Where(a => IsTurnOf(a, sessionId)).ToList();
                if (roots.Count >= turns)
                {
                    var traces = roots.Select(r => r.TraceId).ToHashSet();
                    return [.. _exported.Where(a => traces.Contains(a.TraceId))];
                }

                ended = _ended.Task;
            }

            try
            {
                await ended.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{turns} invoke_agent spans of {sessionId} did not end within {Guard.TotalSeconds} s.");
            }
        }
    }

    /// <summary>Whether a span is a turn of the session (or of one of its threads).</summary>
    public static bool IsTurnOf(Activity span, string sessionId) =>
        span.GetTagItem("gen_ai.operation.name") is "invoke_agent" && span.GetTagItem("gen_ai.conversation.id") as string == sessionId;

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();

    // What the exporter exports into: spans end on many threads while a test reads, so adding takes the recorder's
    // lock, and wakes the waiters.
    private sealed class Spans(TraceRecorder recorder) : Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            TaskCompletionSource ended;
            lock (recorder._lock)
            {
                base.InsertItem(index, item);
                ended = recorder._ended;
                recorder._ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            ended.TrySetResult();
        }
    }
}
