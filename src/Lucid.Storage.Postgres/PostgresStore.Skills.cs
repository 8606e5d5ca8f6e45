using System.Text.Json;
using Lucid.Json;
using Lucid.Skills;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

// Skills and their versions; a version's files are also rows of skill_files, so that a blob's users can be found.
public sealed partial class PostgresStore
{
    // A skill's columns: its JSON, its update time and its newest version (by insertion order).
    private const string SkillColumns =
        "json, updated_at, (SELECT v.id FROM skill_versions v WHERE v.skill_id = skills.id ORDER BY v.number DESC LIMIT 1) AS latest_version_id";

    /// <inheritdoc />
    public Task CreateSkillAsync(Skill skill, SkillVersion first, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO skills (id, workspace_id, created_at, updated_at, json) VALUES (@id, @workspace, @created, @updated, @json)",
                CancellationToken.None,
                ("@id", skill.Id), ("@workspace", skill.WorkspaceId), ("@created", Time(skill.CreatedAt)), ("@updated", Time(skill.UpdatedAt)),
                ("@json", JsonSerializer.Serialize(skill with { LatestVersionId = null }, LucidJsonContext.Default.Skill)));
            await InsertSkillVersionAsync(connection, first);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddSkillVersionAsync(SkillVersion version, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.ExecuteAsync("UPDATE skills SET updated_at = @updated WHERE id = @id", CancellationToken.None,
                    ("@id", version.SkillId), ("@updated", Time(version.CreatedAt))) == 0)
            {
                return false;
            }

            await InsertSkillVersionAsync(connection, version);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Skill?> GetSkillAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync($"SELECT {SkillColumns} FROM skills WHERE id = @id", ReadSkill, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<Skill>> ListSkillsAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation(SkillColumns, "skills", page).Where("workspace_id = @workspace", ("@workspace", workspaceId));
        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadSkill, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SkillVersion?> GetSkillVersionAsync(string skillId, string versionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM skill_versions WHERE id = @id AND skill_id = @skill", ReadSkillVersion, cancellationToken,
            ("@id", versionId), ("@skill", skillId));
    }

    /// <inheritdoc />
    public async Task<Page<SkillVersion>> ListSkillVersionsAsync(string skillId, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByNumber("json", "skill_versions", "number", page, descending: true).Where("skill_id = @skill", ("@skill", skillId));
        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadSkillVersion, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SkillVersion>?> DeleteSkillAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<SkillVersion>?>(async connection =>
        {
            var versions = await connection.QueryAsync("SELECT json FROM skill_versions WHERE skill_id = @id", ReadSkillVersion, CancellationToken.None, ("@id", id));
            if (await connection.ExecuteAsync("DELETE FROM skills WHERE id = @id", CancellationToken.None, ("@id", id)) == 0)
            {
                return null;
            }

            await connection.ExecuteAsync("DELETE FROM skill_files WHERE version_id IN (SELECT id FROM skill_versions WHERE skill_id = @id)", CancellationToken.None, ("@id", id));
            await connection.ExecuteAsync("DELETE FROM skill_versions WHERE skill_id = @id", CancellationToken.None, ("@id", id));
            return versions;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<SkillVersionDeletion> DeleteSkillVersionAsync(string skillId, string versionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            // The skill's row is locked first, so two processes deleting its last two versions cannot both succeed.
            await connection.ExecuteAsync("SELECT 1 FROM skills WHERE id = @skill FOR UPDATE", CancellationToken.None, ("@skill", skillId));
            var versions = await connection.QueryAsync("SELECT id FROM skill_versions WHERE skill_id = @skill", r => r.GetString(0), CancellationToken.None, ("@skill", skillId));
            if (!versions.Contains(versionId))
            {
                return SkillVersionDeletion.NotFound;
            }

            if (versions.Count == 1)
            {
                return SkillVersionDeletion.OnlyVersion;
            }

            await connection.ExecuteAsync("DELETE FROM skill_files WHERE version_id = @id", CancellationToken.None, ("@id", versionId));
            await connection.ExecuteAsync("DELETE FROM skill_versions WHERE id = @id", CancellationToken.None, ("@id", versionId));
            await connection.ExecuteAsync("UPDATE skills SET updated_at = @updated WHERE id = @skill", CancellationToken.None, ("@skill", skillId), ("@updated", Time(at)));
            return SkillVersionDeletion.Deleted;
        }, cancellationToken);

    private static async Task InsertSkillVersionAsync(NpgsqlConnection connection, SkillVersion version)
    {
        await connection.ExecuteAsync("INSERT INTO skill_versions (id, skill_id, json) VALUES (@id, @skill, @json)", CancellationToken.None,
            ("@id", version.Id), ("@skill", version.SkillId), ("@json", JsonSerializer.Serialize(version, LucidJsonContext.Default.SkillVersion)));
        foreach (var file in version.Files)
        {
            await connection.ExecuteAsync("INSERT INTO skill_files (version_id, path, content_sha256) VALUES (@version, @path, @sha)", CancellationToken.None,
                ("@version", version.Id), ("@path", file.Path), ("@sha", file.ContentSha256));
        }
    }

    private static Skill ReadSkill(NpgsqlDataReader reader) =>
        ReadJson(reader, 0, LucidJsonContext.Default.Skill) with
        {
            UpdatedAt = ReadTime(reader, 1) ?? throw new InvalidDataException("A stored skill has no update time."),
            LatestVersionId = reader.IsDBNull(2) ? null : reader.GetString(2),
        };

    private static SkillVersion ReadSkillVersion(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.SkillVersion);
}
