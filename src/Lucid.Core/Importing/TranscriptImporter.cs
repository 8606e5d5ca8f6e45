using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lucid.Agents;
using Lucid.Dreams;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Importing;

/// <summary>
/// Turns external transcripts into ordinary, idle Lucid sessions. Each record becomes one session whose log holds the
/// transcript's events in their original order, appended through the event hub (no runner runs): the store's projection
/// keeps the session's status, usage and outcome evaluations consistent with its log.
/// </summary>
/// <remarks>
/// Imports are idempotent. A record's key is the SHA-256 of its compact JSON; the session's ID is derived from the
/// workspace, format and key, so importing the same record again finds the session and skips it (a session that exists
/// with an empty log — an import stopped between creating it and writing its log — is completed). Imported sessions
/// carry <c>lucid.import.source</c>, <c>lucid.import.key</c> and <c>lucid.import.position</c> metadata. Their agent is an
/// "imported" agent per format and system prompt, and their environment one "imported" environment per workspace,
/// both created on first use with IDs derived the same way.
/// </remarks>
public sealed partial class TranscriptImporter : IDisposable
{
    /// <summary>The metadata key holding a record's key (hex SHA-256 of its compact JSON).</summary>
    public const string KeyMetadata = "lucid.import.key";

    /// <summary>The metadata key holding where the record was in its source.</summary>
    public const string PositionMetadata = "lucid.import.position";

    private readonly ILucidStore _store;
    private readonly EventHub _events;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly ImportOptions _options;

    // Imports run one at a time per importer: two posts of the same file must not both find a record new and write it
    // twice. The server holds one importer, so this covers every import it serves.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates an importer over a store, appending logs through <paramref name="events"/>.</summary>
    public TranscriptImporter(ILucidStore store, EventHub events, ImportOptions? options = null, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _events = events;
        _options = options ?? new ImportOptions();
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>
    /// Imports every record of <paramref name="source"/> in <paramref name="format"/> into a workspace. Malformed records
    /// are reported with their position and the rest imported; an unknown format is an invalid-request error.
    /// </summary>
    public Task<Result<ImportReport>> ImportAsync(string workspaceId, string format, string sourceName, Stream source, CancellationToken cancellationToken) =>
        ImportAsync(workspaceId, format, sourceName, [new ImportFile("", source)], cancellationToken);

    /// <summary>
    /// Imports the records of several files as one source: the session logs of a folder (a Claude Code project, whose
    /// subagent files join their sessions), or record files one after another. Positions name each file.
    /// </summary>
    public async Task<Result<ImportReport>> ImportAsync(string workspaceId, string format, string sourceName, IReadOnlyList<ImportFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ISessionLogFormat? logs = format switch
        {
            ImportFormats.ClaudeCode => new ClaudeCodeLogs(_ids),
            ImportFormats.Codex => new CodexLogs(_ids),
            _ => null,
        };
        Func<JsonElement, Transcript>? convert = format switch
        {
            ImportFormats.OpenAIChat => new OpenAIChatTranscripts(_ids).Convert,
            ImportFormats.TauBench => new TauBenchTranscripts(_ids).Convert,
            _ => null,
        };
        if (convert is null && logs is null)
        {
            return LucidError.Invalid("format", $"'{format}' is not an import format; use {string.Join(", ", ImportFormats.All)}.");
        }

        var contents = new List<(string Name, ReadOnlyMemory<byte> Bytes)>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.Content.CopyToAsync(buffer, cancellationToken);
            contents.Add((file.Name, buffer.ToArray()));
        }

        Func<JsonElement, bool> isSingle = format == ImportFormats.OpenAIChat ? OpenAIChatTranscripts.IsMessageList : _ => false;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return logs is not null
                ? await ImportSessionLogsAsync(workspaceId, format, sourceName, contents, logs, cancellationToken)
                : await ImportRecordsAsync(workspaceId, format, sourceName, contents, isSingle, convert!, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ImportReport> ImportRecordsAsync(
        string workspaceId, string format, string sourceName, List<(string Name, ReadOnlyMemory<byte> Bytes)> files, Func<JsonElement, bool> isSingle, Func<JsonElement, Transcript> convert, CancellationToken cancellationToken)
    {
        var imported = new List<ImportedRecord>();
        var skipped = new List<SkippedRecord>();
        var malformed = new List<MalformedRecord>();
        var agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
        AgentEnvironment? environment = null;
        var records = 0;
        foreach (var (name, bytes) in files)
        {
            foreach (var record in SourceRecords.Read(bytes, isSingle))
            {
                records++;
                var position = name.Length == 0 ? record.Position : $"{name} {record.Position}";
                if (record.Element is not { } element)
                {
                    malformed.Add(new MalformedRecord(position, record.Error ?? "unreadable"));
                    continue;
                }

                var key = Key(element);
                var sessionId = DerivedId(IdPrefixes.Session, workspaceId, format, key);
                var existing = await _store.GetSessionAsync(sessionId, cancellationToken);
                if (existing is { LastSequence: > 0 })
                {
                    skipped.Add(new SkippedRecord(position, sessionId, $"already imported as {sessionId}"));
                    continue;
                }

                Transcript transcript;
                try
                {
                    transcript = convert(element);
                }
                catch (MalformedTranscriptException e)
                {
                    malformed.Add(new MalformedRecord(position, e.Message));
                    continue;
                }

                environment ??= await EnvironmentAsync(workspaceId, cancellationToken);
                var agent = await AgentAsync(workspaceId, format, transcript.SystemPrompt, agents, cancellationToken);
                if (existing is null)
                {
                    await _store.CreateSessionAsync(NewSession(workspaceId, sessionId, agent, environment, transcript, format, sourceName, key, position), cancellationToken);
                }

                var events = Stamped(transcript.Events);
                await _events.AppendAsync(LogId.Of(sessionId), events, cancellationToken);
                imported.Add(new ImportedRecord(position, sessionId, events.Count));
            }
        }

        return new ImportReport
        {
            Format = format,
            Source = sourceName,
            WorkspaceId = workspaceId,
            Records = records,
            Imported = imported,
            Skipped = skipped,
            Malformed = malformed,
        };
    }

    // Imported events keep their order; the time is the import's.
    private List<SessionEvent> Stamped(IReadOnlyList<SessionEvent> events)
    {
        var now = _time.GetUtcNow();
        return [.. events.Select((e, i) => e with { ProcessedAt = now.AddTicks(i) })];
    }

    private Session NewSession(
        string workspaceId, string sessionId, Agent agent, AgentEnvironment environment, Transcript transcript, string format, string sourceName, string key, string position)
    {
        var now = _time.GetUtcNow();
        var workDirectory = Path.GetFullPath(Path.Combine(_options.WorkDirectoriesRoot, sessionId));
        Directory.CreateDirectory(workDirectory);
        var metadata = new Dictionary<string, string>(transcript.Metadata.Select(m => KeyValuePair.Create(m.Key, Limit(m.Value))), StringComparer.Ordinal)
        {
            [SessionDigester.ImportSourceKey] = Limit($"{format}:{sourceName}"),
            [KeyMetadata] = key,
            [PositionMetadata] = position,
        };
        return new Session
        {
            Id = sessionId,
            WorkspaceId = workspaceId,
            AgentId = agent.Id,
            AgentVersion = agent.Version,
            EnvironmentId = environment.Id,
            WorkDirectory = workDirectory,
            Title = transcript.Title,
            Metadata = metadata,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private async Task<AgentEnvironment> EnvironmentAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var id = DerivedId(IdPrefixes.Environment, workspaceId, "imports", "");
        if (await _store.GetEnvironmentAsync(id, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = _time.GetUtcNow();
        var environment = new AgentEnvironment
        {
            Id = id,
            WorkspaceId = workspaceId,
            Name = "imported",
            Description = "The environment of sessions imported from external transcripts.",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateEnvironmentAsync(environment, cancellationToken);
        return environment;
    }

    private async Task<Agent> AgentAsync(string workspaceId, string format, string? system, Dictionary<string, Agent> cache, CancellationToken cancellationToken)
    {
        var id = DerivedId(IdPrefixes.Agent, workspaceId, format + "\n" + _options.Model, system ?? "");
        if (cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var agent = await _store.GetAgentAsync(id, 1, cancellationToken);
        if (agent is null)
        {
            var now = _time.GetUtcNow();
            agent = new Agent
            {
                Id = id,
                WorkspaceId = workspaceId,
                Version = 1,
                Name = $"imported-{format}",
                Description = $"Stands for the agent of transcripts imported from {format}; it ran elsewhere.",
                System = system,
                Model = _options.Model,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await _store.CreateAgentAsync(agent, cancellationToken);
        }

        cache[id] = agent;
        return agent;
    }

    /// <summary>The hex SHA-256 of a record's compact JSON.</summary>
    internal static string Key(JsonElement record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            record.WriteTo(writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>The hex SHA-256 of records' compact JSON, one per line.</summary>
    internal static string Key(IEnumerable<JsonElement> records)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var buffer = new MemoryStream();
        foreach (var record in records)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                record.WriteTo(writer);
            }

            buffer.WriteByte((byte)'\n');
            hash.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // An ID of the usual shape (prefix, underscore, 24 base62 characters) derived from what it stands for.
    private static string DerivedId(string prefix, string workspaceId, string kind, string key) =>
        IdGenerator.Derived(prefix, $"lucid.import\n{prefix}\n{workspaceId}\n{kind}\n{key}");

    private static string Limit(string value) => value.Length <= Validation.Rules.MaxMetadataValueLength ? value : value[..Validation.Rules.MaxMetadataValueLength];

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
