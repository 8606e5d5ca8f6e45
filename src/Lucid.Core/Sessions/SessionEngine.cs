using Lucid.Agents;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Storage;
using Lucid.Threads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Sessions;

/// <summary>
/// The session engine, built over a store and a model resolver: the services a host exposes (sessions, threads, the
/// event hub, memory), one runner per active log, and restart recovery. Everything a session does is in its event log,
/// committed before anyone sees it.
/// </summary>
public sealed class SessionEngine : IAsyncDisposable
{
    private readonly EngineParts _parts;
    private readonly Telemetry.TracedModelResolver _models;
    private bool _disposed;

    /// <summary>
    /// Builds the engine; the bytes of files and skills go to <paramref name="blobs"/>, or to the store's own blobs when it
    /// keeps them (<see cref="IBlobHoldingStore"/>, PostgreSQL), or to a <see cref="Files.DiskBlobStore"/> under
    /// <see cref="Files.FileStoreOptions.Root"/> (<see cref="Files.BlobStores.For"/>). In a cluster, <paramref name="placement"/> makes this process the
    /// owner of the sessions it creates, and <paramref name="remotePreviews"/> brings its streams the previews of sessions
    /// other processes run.
    /// </summary>
    public SessionEngine(
        ILucidStore store,
        IChatClientResolver models,
        SessionEngineOptions? options = null,
        TimeProvider? timeProvider = null,
        IdGenerator? ids = null,
        ILoggerFactory? loggerFactory = null,
        Mcp.IMcpConnector? mcpConnector = null,
        IBlobStore? blobs = null,
        ISessionPlacement? placement = null,
        IRemotePreviews? remotePreviews = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var idSource = ids ?? IdGenerator.Random;
        var settings = options ?? new SessionEngineOptions();
        _models = new Telemetry.TracedModelResolver(models, settings.Telemetry);
        var blobStore = blobs ?? Lucid.Files.BlobStores.For(store, settings.Files.Root);
        var files = new Files.FileService(store, blobStore, settings.Files, time, idSource);
        EngineParts? parts = null;
        var runners = new RunnerRegistry((logId, created) => new SessionRunner(logId, parts ?? throw new InvalidOperationException("The engine is not built yet."), created),
            time,
            settings.RunnerIdleTimeout);
        parts = new EngineParts(
            store, new EventHub(store, time, idSource, settings.MaxUnreadEventsPerStream, remotePreviews), _models, new MemoryService(store, time, idSource),
            settings, time, idSource, loggerFactory ?? NullLoggerFactory.Instance)
        {
            Runners = runners,
            Placement = placement,
            Agents = new AgentVersions(store),
            Packages = new Sandboxing.PackageInstaller(settings.Packages, time, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Sandboxing.PackageInstaller>()),
            Threads = new ThreadSupervisor(store, runners),
            McpConnector = mcpConnector,
            Vaults = new Vaults.VaultParts(store, settings.VaultKey, new Vaults.OAuthRefresher(time), time),
            Files = files,
            Skills = new Skills.SkillService(store, blobStore, store, time, idSource),
            Outputs = new Resources.SessionOutputs(store, store, files, settings.WorkDirectoriesRoot),
        };
        _parts = parts;
        Resources = new Resources.SessionResourceService(parts);
        Sessions = new SessionService(parts, Resources);
        Threads = new ThreadService(store, time);
        Vaults = new Vaults.VaultService(store, time, idSource);
        Credentials = new Vaults.CredentialService(store, settings.VaultKey, time, idSource);
        CredentialValidator = new Vaults.CredentialValidator(Credentials, parts.Vaults);
    }

    /// <summary>Vaults of credentials, which sessions name in <c>vault_ids</c>.</summary>
    public Vaults.VaultService Vaults { get; }

    /// <summary>The credentials in vaults; their secrets are sealed with <see cref="SessionEngineOptions.VaultKey"/>.</summary>
    public Vaults.CredentialService Credentials { get; }

    /// <summary>Probes <c>mcp_oauth</c> credentials against their MCP servers.</summary>
    public Vaults.CredentialValidator CredentialValidator { get; }

    /// <summary>The Files API's files, which sessions mount and write as outputs.</summary>
    public Files.FileService Files => _parts.Files;

    /// <summary>The Skills API's skills, which sessions mount for their agents.</summary>
    public Skills.SkillService Skills => _parts.Skills;

    /// <summary>The files and repositories mounted into sessions.</summary>
    public Resources.SessionResourceService Resources { get; }

    /// <summary>Sessions: create, read, update, archive, delete, send input.</summary>
    public SessionService Sessions { get; }

    /// <summary>Sessions' child threads.</summary>
    public ThreadService Threads { get; }

    /// <summary>Pinned agent versions, read through a cache (a version's definition never changes).</summary>
    public AgentVersions Agents => _parts.Agents;

    /// <summary>The one append path of every log; subscribe here to follow a session or a thread.</summary>
    public EventHub Events => _parts.Events;

    /// <summary>Memory stores: sessions mount them, and their agents' writes go through this service.</summary>
    public MemoryService Memory => _parts.Memory;

    /// <summary>The engine's settings.</summary>
    public SessionEngineOptions Options => _parts.Options;

    /// <summary>How many sessions have a runner in this process now (threads not counted).</summary>
    public int LiveSessions => _parts.Runners.Sessions;

    internal RunnerRegistry Runners => _parts.Runners;

    internal ThreadSupervisor Supervisor => _parts.Threads;

    /// <summary>
    /// Picks up the sessions that were running when the process stopped: each records <c>session.status_rescheduled</c>
    /// and its turn is redone from the last committed event; so does every thread that was running
    /// (<c>session.thread_status_rescheduled</c>). Returns how many sessions were rescheduled.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var sessionId in await InterruptedSessionsAsync(cancellationToken))
        {
            if (await ResumeAsync(sessionId, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The sessions a restart has to pick up: those running (or being rescheduled) when their process stopped, and those
    /// with a thread that was, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<string>> InterruptedSessionsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var store = _parts.Store;
        var query = new SessionQuery { IncludeArchived = true, Statuses = new HashSet<SessionStatus> { SessionStatus.Running, SessionStatus.Rescheduling }, Ascending = true };
        var sessions = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListSessionsAsync(null, query, new PageRequest(100, cursor), cancellationToken);
            sessions.AddRange(page.Items.Select(session => session.Id));
            cursor = page.NextPage;
        }
        while (cursor is not null);

        sessions.AddRange((await store.ListRunningThreadsAsync(cancellationToken)).Select(thread => thread.SessionId));
        return [.. sessions.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Picks up one interrupted session (see <see cref="RecoverAsync"/>): reschedules it if it was running, and every
    /// thread of it that was. A session with a runner in this process is live, not interrupted, and is left alone.
    /// Returns whether the session itself was rescheduled.
    /// </summary>
    public async Task<bool> ResumeAsync(string sessionId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var store = _parts.Store;
        if (Runs(sessionId) || await store.GetSessionAsync(sessionId, cancellationToken) is not { } session)
        {
            return false;
        }

        var rescheduled = session.Status is SessionStatus.Running or SessionStatus.Rescheduling;
        if (rescheduled)
        {
            await RescheduleAsync(LogId.Of(session.Id), cancellationToken);
        }

        // Threads that were working redo their turns too, whether or not their lead was; a lead may wait for them again.
        // A thread of an archived session (archived before archiving checked its threads) stays as it is: its session
        // takes no interrupt, so a redone turn could never be stopped.
        if (session.ArchivedAt is null)
        {
            foreach (var thread in await store.ListRunningThreadsAsync(cancellationToken))
            {
                if (thread.SessionId == session.Id && _parts.Runners.Find(LogId.Of(thread.Id)) is null)
                {
                    await RescheduleAsync(LogId.Of(thread.Id), cancellationToken);
                }
            }
        }

        return rescheduled;
    }

    /// <summary>Whether the session has a runner in this process now.</summary>
    public bool Runs(string sessionId) => _parts.Runners.Find(LogId.Of(sessionId)) is not null;

    private async Task RescheduleAsync(LogId logId, CancellationToken cancellationToken)
    {
        var runner = _parts.Runners.Of(logId);
        _parts.Runners.Deliver(logId, await runner.RescheduleAsync(cancellationToken), runner);
    }

    /// <summary>Stops every runner; committed events stay in the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _parts.Runners.DisposeAsync();
        _models.Dispose();
    }
}
