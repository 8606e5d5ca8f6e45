using Anthropic;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

/// <summary>Reading a session's event stream through the official SDK, as the conformance tests do.</summary>
internal static class SessionStreams
{
    /// <summary>The type of a streamed event.</summary>
    public static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    /// <summary>
    /// The session's stream from its start up to its idle number <paramref name="idles"/>, each event validated by the
    /// SDK; a minute at most.
    /// </summary>
    public static async Task<List<BetaManagedAgentsStreamSessionEvents>> UntilIdleAsync(AnthropicClient client, string sessionId, int idles = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(sessionId, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            if (TypeOf(e) == "session.status_idle" && --idles == 0)
            {
                break;
            }
        }

        return streamed;
    }
}
