using Lucid.Agents;

namespace Lucid.Tools;

/// <summary>What limits a session's <c>web_fetch</c> calls beyond its network policy: the agent's config and the URLs the conversation has shown.</summary>
/// <param name="Config">The agent's <c>web_fetch</c> config.</param>
/// <param name="Urls">The URLs the conversation has shown, by source.</param>
internal sealed record WebFetchRules(WebFetchConfig Config, UrlSightings Urls);
