using Orleans.Runtime;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// Spreads a dead node's sessions over the nodes that survive it: each session goes to the active node that scores
/// highest for it (rendezvous hashing), so every node with the same view of the membership picks the same one, and a
/// node's death moves only its own sessions.
/// </summary>
internal static class SurvivorShare
{
    /// <summary>Whether <paramref name="self"/> is the node of <paramref name="active"/> that takes <paramref name="sessionId"/>.</summary>
    public static bool IsMine(string sessionId, SiloAddress self, IReadOnlyCollection<SiloAddress> active) =>
        active.Count == 0 || active.MaxBy(node => Score(sessionId, node.ToParsableString()))!.Equals(self);

    // FNV-1a over the session's ID and the node's address: stable across processes, unlike string.GetHashCode.
    private static ulong Score(string sessionId, string node)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in string.Concat(sessionId, "@", node))
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
