using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Vaults;

/// <summary>Creates, updates, archives and deletes a workspace's vaults; another workspace's vault is not found.</summary>
public sealed class VaultService
{
    /// <summary>Vault and credential names are at most this long.</summary>
    public const int MaxDisplayNameLength = 255;

    private readonly IVaultStore _store;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public VaultService(IVaultStore store, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Creates a vault.</summary>
    public async Task<Result<Vault>> CreateAsync(string workspaceId, string displayName, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if ((DisplayName(displayName) ?? Rules.Metadata(metadata)) is { } error)
        {
            return error;
        }

        var now = _time.GetUtcNow();
        var vault = new Vault
        {
            Id = _ids.NewId(IdPrefixes.Vault),
            WorkspaceId = workspaceId,
            DisplayName = displayName,
            Metadata = metadata ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateVaultAsync(vault, cancellationToken);
        return vault;
    }

    /// <summary>Renames a vault and replaces its metadata.</summary>
    public async Task<Result<Vault>> UpdateAsync(string workspaceId, string id, string displayName, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if ((DisplayName(displayName) ?? Rules.Metadata(metadata)) is { } error)
        {
            return error;
        }

        var next = current.Value with { DisplayName = displayName, Metadata = metadata, UpdatedAt = _time.GetUtcNow() };
        await _store.UpdateVaultAsync(next, cancellationToken);
        return next;
    }

    /// <summary>Archives a vault: sessions can no longer use its credentials, and new sessions cannot name it.</summary>
    public async Task<Result<Vault>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await _store.UpdateVaultAsync(archived, cancellationToken);
        return archived;
    }

    /// <summary>Deletes a vault and every credential in it; sessions that named it use its credentials no more.</summary>
    public async Task<Result<Vault>> DeleteAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (current.IsSuccess)
        {
            await _store.DeleteVaultAsync(id, cancellationToken);
        }

        return current;
    }

    /// <summary>Returns a vault of the workspace, or a not-found error.</summary>
    public async Task<Result<Vault>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var vault = await _store.GetVaultAsync(id, cancellationToken);
        return vault is null || vault.WorkspaceId != workspaceId ? LucidError.NotFound("Vault", id) : vault;
    }

    /// <summary>Lists the workspace's vaults, newest first.</summary>
    public Task<Page<Vault>> ListAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken) =>
        _store.ListVaultsAsync(workspaceId, includeArchived, page, cancellationToken);

    /// <summary>Checks a display name: 1–255 characters, not blank.</summary>
    internal static LucidError? DisplayName(string? name, string field = "display_name") =>
        string.IsNullOrWhiteSpace(name) ? LucidError.Invalid(field, $"{field} is required and must not be blank.")
        : name.Length > MaxDisplayNameLength ? LucidError.Invalid(field, $"{field} must be at most {MaxDisplayNameLength} characters; it has {name.Length}.")
        : null;
}
