using Lucid.Ids;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Server;

/// <summary>What <see cref="LucidServer"/> runs on.</summary>
public sealed class LucidServerOptions
{
    /// <summary>The address(es) to listen on. Defaults to <c>http://127.0.0.1:7420</c>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:7420";

    /// <summary>The store.</summary>
    public required ILucidStore Store { get; init; }

    /// <summary>Resolves agents' model strings.</summary>
    public required IChatClientResolver Models { get; init; }

    /// <summary>Settings of the session engine.</summary>
    public SessionEngineOptions Engine { get; init; } = new();

    /// <summary>Settings of the dream pipeline (memory budget, curation attempts, concurrency).</summary>
    public Lucid.Dreams.DreamOptions Dreams { get; init; } = new();

    /// <summary>How many requests each API key may make (429 past it), or null for no limit. Defaults to <see cref="ApiRateLimit"/>'s defaults.</summary>
    public ApiRateLimit? RateLimit { get; init; } = new();

    /// <summary>The largest request body accepted; larger ones get 413. Defaults to 32 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Which signals are exported over OTLP, or null (the default) to export nothing.</summary>
    public Telemetry.TelemetryExport? Telemetry { get; init; }

    /// <summary>
    /// Where the console keeps the keys that encrypt its sign-in cookies, so browsers stay signed in across restarts; or
    /// null to keep them in memory (every restart signs browsers out).
    /// </summary>
    public DirectoryInfo? ConsoleKeys { get; init; }

    /// <summary>How webhooks are delivered (private addresses, timeout, retries).</summary>
    public Lucid.Webhooks.WebhookOptions Webhooks { get; init; } = new();

    /// <summary>Makes the server a node of a cluster (on PostgreSQL), or null (the default) for a single node.</summary>
    public Cluster.IClusterHosting? Cluster { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The ID source.</summary>
    public IdGenerator Ids { get; init; } = IdGenerator.Random;
}
