namespace Lucid.Benchmarks;

/// <summary>One one-turn session as its client saw it.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Streamed">Events that arrived on its stream, up to and including its idle event (pings not counted).</param>
/// <param name="Latency">From sending the create request to receiving the idle event.</param>
/// <param name="Finished">When the idle event arrived, on the clock of the level it ran in.</param>
internal readonly record struct OneTurn(string SessionId, int Streamed, TimeSpan Latency, TimeSpan Finished);
