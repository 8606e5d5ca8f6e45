using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// The schema, as an ordered list of migrations. A database records the ones it has applied in <c>lucid_schema</c>;
/// opening it applies the rest, each in its own transaction, under a session-level advisory lock so that two processes
/// starting at once apply each migration once. Never edit a shipped migration: add a new one.
/// </summary>
/// <remarks>
/// Records are JSON in <c>text</c> columns, kept byte for byte (queries cast to <c>jsonb</c> where they look inside);
/// times are <c>timestamptz</c>; IDs and memory paths sort by bytes (<c>COLLATE "C"</c>), as the API's cursors and
/// memory listings expect.
/// </remarks>
internal static class Migrations
{
    // pg_advisory_lock's key for "migrating Lucid's schema": any constant the database's other users do not take.
    private const long MigrationLock = 0x4C75_6369_6453_6368; // "LucidSch"

    /// <summary>Applies the migrations the database has not applied yet, and returns how many it has now.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", cancellationToken, ("@key", MigrationLock));
        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS lucid_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            var applied = await VersionAsync(connection, cancellationToken);
            for (var i = applied; i < All.Count; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(All[i], cancellationToken);
                await connection.ExecuteAsync("INSERT INTO lucid_schema (version) VALUES (@version)", cancellationToken, ("@version", i + 1));
                await transaction.CommitAsync(cancellationToken);
            }

            return All.Count;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("@key", MigrationLock));
        }
    }

    /// <summary>How many migrations the database has applied.</summary>
    public static async Task<int> VersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt32(await connection.ScalarAsync("SELECT COALESCE(MAX(version), 0) FROM lucid_schema", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE agents (
            id text COLLATE "C" NOT NULL,
            version integer NOT NULL,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL,
            PRIMARY KEY (id, version)
        );
        CREATE INDEX agents_by_workspace ON agents (workspace_id, created_at, id);

        CREATE TABLE environments (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX environments_by_workspace ON environments (workspace_id, created_at, id);

        CREATE TABLE sessions (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            agent_id text NOT NULL,
            agent_version integer NOT NULL,
            status text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            last_sequence bigint NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX sessions_by_workspace ON sessions (workspace_id, created_at, id);

        CREATE TABLE events (
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            sequence bigint NOT NULL,
            id text NOT NULL UNIQUE,
            type text NOT NULL,
            processed_at timestamptz NOT NULL,
            json text NOT NULL,
            PRIMARY KEY (session_id, sequence)
        );

        CREATE TABLE threads (
            id text COLLATE "C" PRIMARY KEY,
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL,
            last_sequence bigint NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX threads_by_session ON threads (session_id, created_at, id);

        CREATE TABLE thread_events (
            thread_id text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            sequence bigint NOT NULL,
            id text NOT NULL UNIQUE,
            type text NOT NULL,
            processed_at timestamptz NOT NULL,
            json text NOT NULL,
            PRIMARY KEY (thread_id, sequence)
        );

        CREATE TABLE api_keys (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            name text,
            hash text NOT NULL UNIQUE,
            prefix text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );

        CREATE TABLE memory_stores (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX memory_stores_by_workspace ON memory_stores (workspace_id, created_at, id);

        CREATE TABLE memories (
            id text COLLATE "C" PRIMARY KEY,
            store_id text COLLATE "C" NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
            path text COLLATE "C" NOT NULL,
            content text NOT NULL,
            content_sha256 text NOT NULL,
            content_size integer NOT NULL,
            version_id text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE UNIQUE INDEX memories_by_path ON memories (store_id, path);

        CREATE TABLE memory_versions (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text COLLATE "C" NOT NULL UNIQUE,
            store_id text COLLATE "C" NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
            memory_id text NOT NULL,
            operation text NOT NULL,
            actor_kind text NOT NULL,
            actor_id text NOT NULL,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX memory_versions_by_store ON memory_versions (store_id, seq);
        CREATE INDEX memory_versions_by_memory ON memory_versions (memory_id, seq);

        CREATE TABLE dreams (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            status text NOT NULL,
            held_store_id text,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX dreams_by_workspace ON dreams (workspace_id, created_at, id);
        -- At most one pending or running dream holds a store, whichever process creates it first.
        CREATE UNIQUE INDEX dreams_by_held_store ON dreams (held_store_id) WHERE held_store_id IS NOT NULL AND status IN ('pending', 'running');

        CREATE TABLE vaults (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX vaults_by_workspace ON vaults (workspace_id, created_at, id);

        CREATE TABLE vault_credentials (
            id text COLLATE "C" PRIMARY KEY,
            vault_id text COLLATE "C" NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX vault_credentials_by_vault ON vault_credentials (vault_id, created_at, id);

        CREATE TABLE deployments (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            archived_at timestamptz,
            json text NOT NULL
        );
        CREATE INDEX deployments_by_workspace ON deployments (workspace_id, created_at, id);

        CREATE TABLE deployment_runs (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            deployment_id text NOT NULL,
            scheduled_at timestamptz,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX deployment_runs_by_workspace ON deployment_runs (workspace_id, created_at, id);
        -- One run per deployment and tick, whichever node or process claims it first (manual runs have no tick).
        CREATE UNIQUE INDEX deployment_runs_by_tick ON deployment_runs (deployment_id, scheduled_at) WHERE scheduled_at IS NOT NULL;

        CREATE TABLE webhook_endpoints (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            enabled boolean NOT NULL,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id, created_at, id);

        -- The outbox: an event is stored with its deliveries in the transaction of the change it reports.
        CREATE TABLE webhook_events (
            id text PRIMARY KEY,
            json text NOT NULL
        );

        CREATE TABLE webhook_deliveries (
            number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            endpoint_id text NOT NULL,
            event_id text NOT NULL,
            state text NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz,
            last_attempt_at timestamptz,
            last_status integer,
            last_error text,
            last_response text,
            UNIQUE (endpoint_id, event_id)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';

        CREATE TABLE files (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            scope_id text,
            content_sha256 text NOT NULL,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX files_by_workspace ON files (workspace_id, created_at, id);
        CREATE INDEX files_by_scope ON files (scope_id, created_at, id) WHERE scope_id IS NOT NULL;
        CREATE INDEX files_by_content ON files (content_sha256);
        """,
        """
        -- Learning policies (a Lucid extension): when a deployment's graded sessions are dreamed over.
        CREATE TABLE learning_policies (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX learning_policies_by_workspace ON learning_policies (workspace_id, created_at, id);
        """,
        """
        CREATE TABLE eval_runs (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX eval_runs_by_workspace ON eval_runs (workspace_id, created_at, id);
        """,
        """
        CREATE TABLE skills (
            id text COLLATE "C" PRIMARY KEY,
            workspace_id text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX skills_by_workspace ON skills (workspace_id, created_at, id);

        -- number orders a skill's versions: the highest is its latest.
        CREATE TABLE skill_versions (
            number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text COLLATE "C" NOT NULL UNIQUE,
            skill_id text NOT NULL,
            json text NOT NULL
        );
        CREATE INDEX skill_versions_by_skill ON skill_versions (skill_id, number);

        -- The blobs a version's files use, so that a blob is deleted only when no file or skill version uses it.
        CREATE TABLE skill_files (
            version_id text NOT NULL,
            path text COLLATE "C" NOT NULL,
            content_sha256 text NOT NULL,
            PRIMARY KEY (version_id, path)
        );
        CREATE INDEX skill_files_by_content ON skill_files (content_sha256);
        """,
        """
        -- A delivery a server is sending is claimed until then, so that no other server on the database sends it too.
        ALTER TABLE webhook_deliveries ADD COLUMN claimed_until timestamptz;
        """,
        // Orleans' cluster membership, for lucid serve's silos on this database (Orleans/README.md).
        Embedded("orleans-clustering.sql"),
        """
        -- The bytes of files and skills, so that every node on the database reads the same ones (PostgresBlobStore): a
        -- blob's row is committed with all its chunks, in one transaction. Chunks of 1 MiB keep each value small (no
        -- 500 MB bytea to build in memory), and are not compressed again (uploads are often zips, PDFs, images).
        CREATE TABLE blobs (
            sha256 text COLLATE "C" PRIMARY KEY,
            size_bytes bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE blob_chunks (
            sha256 text COLLATE "C" NOT NULL REFERENCES blobs (sha256) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (sha256, ordinal)
        );
        ALTER TABLE blob_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
        """,
    ];

    private static string Embedded(string name)
    {
        using var stream = typeof(Migrations).Assembly.GetManifestResourceStream($"migrations/{name}")
            ?? throw new InvalidOperationException($"The migration {name} is not embedded in {typeof(Migrations).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
