using Lucid.Agents;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Storage;
using Lucid.Threads;
using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

/// <summary>What the engine's parts share: the store, the one append path, models, memory, settings, clock and IDs.</summary>
internal sealed record EngineParts(
    ILucidStore Store,
    EventHub Events,
    IChatClientResolver Models,
    MemoryService Memory,
    SessionEngineOptions Options,
    TimeProvider Time,
    IdGenerator Ids,
    ILoggerFactory Logs)
{
    /// <summary>Makes this process the owner of the sessions it creates, in a cluster; null on a single process.</summary>
    public ISessionPlacement? Placement { get; init; }

    /// <summary>The runners of active logs; set once when the engine is built.</summary>
    public required RunnerRegistry Runners { get; init; }

    /// <summary>Pinned agent versions, read once per process.</summary>
    public required AgentVersions Agents { get; init; }

    /// <summary>Installs environments' packages, once per environment and package list.</summary>
    public required Sandboxing.PackageInstaller Packages { get; init; }

    /// <summary>Context windows providers stated in "prompt is too long" answers, by model string.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> LearnedContextWindows { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Sessions whose file or repository resources changed while they lived, as they are now, by ID: a runner takes the
    /// newer one at its next turn instead of reading every session again each turn.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Session> ChangedResources { get; } = new(StringComparer.Ordinal);

    /// <summary>The MCP client sessions reach their agents' MCP servers through, or null when the host has none.</summary>
    public Mcp.IMcpConnector? McpConnector { get; init; }

    /// <summary>What sessions read their vaults' credentials with.</summary>
    public required Vaults.VaultParts Vaults { get; init; }

    /// <summary>The Files API: sessions mount its files, record their outputs in it, and outcomes read file rubrics from it.</summary>
    public required Files.FileService Files { get; init; }

    /// <summary>The Skills API: sessions mount the skills of their agents from it.</summary>
    public required Skills.SkillService Skills { get; init; }

    /// <summary>Records what sessions write under their outputs directory as files scoped to them.</summary>
    public required Resources.SessionOutputs Outputs { get; init; }

    /// <summary>Thread creation gates, thread input and session-wide thread termination.</summary>
    public required ThreadSupervisor Threads { get; init; }
}
