namespace Lucid.Benchmarks;

/// <summary>One one-turn session as its client saw it.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Streamed">Events that arrived on its stream, up to and including its idle event (pings not counted).</param>
/// <param name="Latency">From sending the create request to receiving the idle event.</param>
/// <param name="Finished">When the idle event arrived, on the clock of the level it ran in.</param>
/// <param name="Stages">When the client saw the turn's milestones, from sending the create request.</param>
internal readonly record struct OneTurn(string SessionId, int Streamed, TimeSpan Latency, TimeSpan Finished, OneTurnStages Stages);

/// <summary>When a one-turn session's client saw its milestones, from sending the create request.</summary>
/// <param name="Created">The create request answered.</param>
/// <param name="ModelStart">The <c>span.model_request_start</c> event arrived on the stream.</param>
/// <param name="ModelEnd">The <c>span.model_request_end</c> event arrived on the stream.</param>
internal readonly record struct OneTurnStages(TimeSpan Created, TimeSpan ModelStart, TimeSpan ModelEnd);
