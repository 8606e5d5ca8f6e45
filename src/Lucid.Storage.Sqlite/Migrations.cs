using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// The schema, as an ordered list of migrations. A database records how many it has applied in
/// <c>PRAGMA user_version</c>; opening it applies the rest, each in its own transaction. Never edit a shipped
/// migration: add a new one.
/// </summary>
internal static class Migrations
{
    /// <summary>Puts the database in WAL mode and applies the migrations it has not applied yet.</summary>
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL", cancellationToken);
        var applied = Convert.ToInt32(await connection.ScalarAsync("PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
        for (var i = applied; i < All.Count; i++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"{All[i]}; PRAGMA user_version = {i + 1}";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE agents (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL,
            PRIMARY KEY (id, version)
        ) WITHOUT ROWID;
        CREATE INDEX agents_by_workspace ON agents (workspace_id, created_at, id);

        CREATE TABLE environments (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX environments_by_workspace ON environments (workspace_id, created_at, id);

        CREATE TABLE sessions (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            agent_version INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            last_sequence INTEGER NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_workspace ON sessions (workspace_id, created_at, id);

        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            processed_at TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (session_id, sequence)
        ) WITHOUT ROWID;

        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            name TEXT,
            hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE memory_stores (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX memory_stores_by_workspace ON memory_stores (workspace_id, created_at, id);

        CREATE TABLE memories (
            id TEXT NOT NULL PRIMARY KEY,
            store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            content TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            content_size INTEGER NOT NULL,
            version_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX memories_by_path ON memories (store_id, path);

        CREATE TABLE memory_versions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
            memory_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX memory_versions_by_store ON memory_versions (store_id, seq);
        CREATE INDEX memory_versions_by_memory ON memory_versions (memory_id, seq);
        """,
        """
        CREATE TABLE threads (
            id TEXT NOT NULL PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_sequence INTEGER NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX threads_by_session ON threads (session_id, created_at, id);

        CREATE TABLE thread_events (
            thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            processed_at TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (thread_id, sequence)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE dreams (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            status TEXT NOT NULL,
            held_store_id TEXT,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX dreams_by_workspace ON dreams (workspace_id, created_at, id);
        CREATE INDEX dreams_by_held_store ON dreams (held_store_id, status) WHERE held_store_id IS NOT NULL;
        """,
        """
        ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;
        """,
        """
        CREATE TABLE vaults (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX vaults_by_workspace ON vaults (workspace_id, created_at, id);

        CREATE TABLE vault_credentials (
            id TEXT NOT NULL PRIMARY KEY,
            vault_id TEXT NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX vault_credentials_by_vault ON vault_credentials (vault_id, created_at, id);
        """,
        """
        CREATE TABLE deployments (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_at TEXT,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX deployments_by_workspace ON deployments (workspace_id, created_at, id);

        CREATE TABLE deployment_runs (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            deployment_id TEXT NOT NULL,
            scheduled_at TEXT,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX deployment_runs_by_workspace ON deployment_runs (workspace_id, created_at, id);
        -- One run per deployment and tick, whichever node or process claims it first (manual runs have no tick).
        CREATE UNIQUE INDEX deployment_runs_by_tick ON deployment_runs (deployment_id, scheduled_at) WHERE scheduled_at IS NOT NULL;
        """,
        """
        CREATE TABLE webhook_endpoints (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id, created_at, id);

        -- The outbox: an event is stored with its deliveries in the transaction of the change it reports.
        CREATE TABLE webhook_events (
            id TEXT NOT NULL PRIMARY KEY,
            json TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE webhook_deliveries (
            number INTEGER PRIMARY KEY,
            endpoint_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at TEXT,
            last_attempt_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            last_response TEXT,
            UNIQUE (endpoint_id, event_id)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
        """,
        """
        CREATE TABLE files (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            scope_id TEXT,
            content_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX files_by_workspace ON files (workspace_id, created_at, id);
        CREATE INDEX files_by_scope ON files (scope_id, created_at, id) WHERE scope_id IS NOT NULL;
        CREATE INDEX files_by_content ON files (content_sha256);
        """,
        """
        -- Learning policies (a Lucid extension): when a deployment's graded sessions are dreamed over.
        CREATE TABLE learning_policies (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX learning_policies_by_workspace ON learning_policies (workspace_id, created_at, id);
        """,
        """
        CREATE TABLE eval_runs (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX eval_runs_by_workspace ON eval_runs (workspace_id, created_at, id);
        """,
        """
        CREATE TABLE skills (
            id TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX skills_by_workspace ON skills (workspace_id, created_at, id);

        -- number orders a skill's versions: the highest is its latest.
        CREATE TABLE skill_versions (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            skill_id TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX skill_versions_by_skill ON skill_versions (skill_id, number);

        -- The blobs a version's files use, so that a blob is deleted only when no file or skill version uses it.
        CREATE TABLE skill_files (
            version_id TEXT NOT NULL,
            path TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            PRIMARY KEY (version_id, path)
        ) WITHOUT ROWID;
        CREATE INDEX skill_files_by_content ON skill_files (content_sha256);
        """,
    ];
}
