using System.Text.Json;
using Lucid.Json;
using Lucid.Vaults;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

// Credentials are stored as JSON whose secrets are one sealed (AES-GCM) value: no plaintext secret reaches the file.
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateVaultAsync(Vault vault, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO vaults (id, workspace_id, created_at, archived_at, json) VALUES ($id, $workspace, $created, $archived, $json)",
                CancellationToken.None,
                ("$id", vault.Id), ("$workspace", vault.WorkspaceId), ("$created", Time(vault.CreatedAt)),
                ("$archived", Time(vault.ArchivedAt)), ("$json", JsonSerializer.Serialize(vault, LucidJsonContext.Default.Vault)));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfNewVault(vault)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateVaultAsync(Vault vault, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await GetVaultAsync(connection, vault.Id, CancellationToken.None) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE vaults SET archived_at = $archived, json = $json WHERE id = $id", CancellationToken.None,
                ("$id", vault.Id), ("$archived", Time(vault.ArchivedAt)), ("$json", JsonSerializer.Serialize(vault, LucidJsonContext.Default.Vault)));
            _writer.Outbox.Record(connection, WebhookTriggers.OfVaultChange(current, vault));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Vault?> GetVaultAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetVaultAsync(connection, id, cancellationToken);
    }

    private static Task<Vault?> GetVaultAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM vaults WHERE id = $id", ReadVault, cancellationToken, ("$id", id));

    /// <inheritdoc />
    public async Task<Page<Vault>> ListVaultsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "vaults", page).Where("workspace_id = $workspace", ("$workspace", workspaceId));
        if (!includeArchived)
        {
            query.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadVault, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteVaultAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await GetVaultAsync(connection, id, CancellationToken.None) is not { } vault)
            {
                return false;
            }

            await connection.ExecuteAsync("DELETE FROM vault_credentials WHERE vault_id = $id", CancellationToken.None, ("$id", id));
            await connection.ExecuteAsync("DELETE FROM vaults WHERE id = $id", CancellationToken.None, ("$id", id));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfDeletedVault(vault, _clock.GetUtcNow())]);
            return true;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task CreateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO vault_credentials (id, vault_id, created_at, archived_at, json) VALUES ($id, $vault, $created, $archived, $json)",
                CancellationToken.None,
                ("$id", credential.Id), ("$vault", credential.VaultId), ("$created", Time(credential.CreatedAt)),
                ("$archived", Time(credential.ArchivedAt)), ("$json", JsonSerializer.Serialize(credential, LucidJsonContext.Default.VaultCredential)));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfNewCredential(credential)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await GetCredentialAsync(connection, credential.Id, CancellationToken.None) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE vault_credentials SET archived_at = $archived, json = $json WHERE id = $id", CancellationToken.None,
                ("$id", credential.Id), ("$archived", Time(credential.ArchivedAt)),
                ("$json", JsonSerializer.Serialize(credential, LucidJsonContext.Default.VaultCredential)));
            _writer.Outbox.Record(connection, WebhookTriggers.OfCredentialChange(current, credential));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task RecordRefreshFailureAsync(VaultCredential credential, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            _writer.Outbox.Record(connection, [WebhookTriggers.OfCredentialRefreshFailure(credential, at)]);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<VaultCredential?> GetCredentialAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetCredentialAsync(connection, id, cancellationToken);
    }

    private static Task<VaultCredential?> GetCredentialAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM vault_credentials WHERE id = $id", ReadCredential, cancellationToken, ("$id", id));

    /// <inheritdoc />
    public async Task<Page<VaultCredential>> ListCredentialsAsync(string vaultId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "vault_credentials", page).Where("vault_id = $vault", ("$vault", vaultId));
        if (!includeArchived)
        {
            query.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadCredential, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteCredentialAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await GetCredentialAsync(connection, id, CancellationToken.None) is not { } credential)
            {
                return false;
            }

            await connection.ExecuteAsync("DELETE FROM vault_credentials WHERE id = $id", CancellationToken.None, ("$id", id));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfDeletedCredential(credential, _clock.GetUtcNow())]);
            return true;
        }, cancellationToken);

    private static Vault ReadVault(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Vault);

    private static VaultCredential ReadCredential(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.VaultCredential);
}
