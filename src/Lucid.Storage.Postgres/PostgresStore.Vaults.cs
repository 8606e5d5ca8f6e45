using System.Text.Json;
using Lucid.Json;
using Lucid.Vaults;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

// Credentials are stored as JSON whose secrets are one sealed (AES-GCM) value: no plaintext secret reaches the file.
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateVaultAsync(Vault vault, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO vaults (id, workspace_id, created_at, archived_at, json) VALUES (@id, @workspace, @created, @archived, @json)",
                CancellationToken.None,
                ("@id", vault.Id), ("@workspace", vault.WorkspaceId), ("@created", Time(vault.CreatedAt)),
                ("@archived", Time(vault.ArchivedAt)), ("@json", JsonSerializer.Serialize(vault, LucidJsonContext.Default.Vault)));
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewVault(vault)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateVaultAsync(Vault vault, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.QuerySingleAsync("SELECT json FROM vaults WHERE id = @id FOR UPDATE", ReadVault, CancellationToken.None, ("@id", vault.Id)) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE vaults SET archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", vault.Id), ("@archived", Time(vault.ArchivedAt)), ("@json", JsonSerializer.Serialize(vault, LucidJsonContext.Default.Vault)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfVaultChange(current, vault));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Vault?> GetVaultAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM vaults WHERE id = @id", ReadVault, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<Vault>> ListVaultsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "vaults", page).Where("workspace_id = @workspace", ("@workspace", workspaceId));
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
            await connection.ExecuteAsync("DELETE FROM vault_credentials WHERE vault_id = @id", CancellationToken.None, ("@id", id));
            if (await connection.QuerySingleAsync("DELETE FROM vaults WHERE id = @id RETURNING json", ReadVault, CancellationToken.None, ("@id", id)) is not { } vault)
            {
                return false;
            }

            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeletedVault(vault, _clock.GetUtcNow())]);
            return true;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task CreateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO vault_credentials (id, vault_id, created_at, archived_at, json) VALUES (@id, @vault, @created, @archived, @json)",
                CancellationToken.None,
                ("@id", credential.Id), ("@vault", credential.VaultId), ("@created", Time(credential.CreatedAt)),
                ("@archived", Time(credential.ArchivedAt)), ("@json", JsonSerializer.Serialize(credential, LucidJsonContext.Default.VaultCredential)));
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewCredential(credential)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.QuerySingleAsync("SELECT json FROM vault_credentials WHERE id = @id FOR UPDATE", ReadCredential, CancellationToken.None, ("@id", credential.Id)) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE vault_credentials SET archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", credential.Id), ("@archived", Time(credential.ArchivedAt)),
                ("@json", JsonSerializer.Serialize(credential, LucidJsonContext.Default.VaultCredential)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfCredentialChange(current, credential));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task RecordRefreshFailureAsync(VaultCredential credential, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(connection => WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfCredentialRefreshFailure(credential, at)]), cancellationToken);

    /// <inheritdoc />
    public async Task<VaultCredential?> GetCredentialAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM vault_credentials WHERE id = @id", ReadCredential, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<VaultCredential>> ListCredentialsAsync(string vaultId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "vault_credentials", page).Where("vault_id = @vault", ("@vault", vaultId));
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
            if (await connection.QuerySingleAsync("DELETE FROM vault_credentials WHERE id = @id RETURNING json", ReadCredential, CancellationToken.None, ("@id", id)) is not { } credential)
            {
                return false;
            }

            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeletedCredential(credential, _clock.GetUtcNow())]);
            return true;
        }, cancellationToken);

    private static Vault ReadVault(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Vault);

    private static VaultCredential ReadCredential(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.VaultCredential);
}
