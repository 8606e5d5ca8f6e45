using System.IO.Compression;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Skills;

/// <summary>
/// The Skills API: create a skill from an upload, add versions, read, list, delete, and write a version's files as a zip
/// or into a directory. Metadata goes to the store, file bytes to the blob store (shared with the Files API); a blob
/// goes with the last file or skill version that uses it.
/// </summary>
public sealed class SkillService(ISkillStore store, IBlobStore blobs, IBlobUsage usage, TimeProvider time, IdGenerator ids)
{
    /// <summary>The longest display name.</summary>
    public const int MaxDisplayNameLength = 255;

    /// <summary>What a version reference may say instead of an ID to mean the skill's newest version.</summary>
    public const string Latest = "latest";

    /// <summary>Creates a skill with its first version from an upload. Nothing is kept when the upload is refused.</summary>
    public async Task<Result<Skill>> CreateAsync(string workspaceId, string? displayName, IReadOnlyList<SkillPart> parts, CancellationToken cancellationToken)
    {
        if (displayName is not null && (displayName.Length is 0 or > MaxDisplayNameLength || displayName.Any(char.IsControl)))
        {
            return LucidError.Invalid("display_name", $"display_name must be a single line of 1–{MaxDisplayNameLength} characters; got {displayName.Length:N0} characters.");
        }

        var bundle = await SkillBundle.ReadAsync(parts, cancellationToken);
        if (!bundle.IsSuccess)
        {
            return bundle.Error;
        }

        var now = time.GetUtcNow();
        var skill = new Skill
        {
            Id = ids.NewId(IdPrefixes.Skill),
            WorkspaceId = workspaceId,
            Name = bundle.Value.Name,
            DisplayName = displayName ?? bundle.Value.Name,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var version = await StoreFilesAsync(skill.Id, bundle.Value, now, cancellationToken);
        await store.CreateSkillAsync(skill, version, cancellationToken);
        return skill with { LatestVersionId = version.Id };
    }

    /// <summary>Adds a version to a skill of the workspace from an upload; its SKILL.md must name the same skill.</summary>
    public async Task<Result<SkillVersion>> CreateVersionAsync(string workspaceId, string skillId, IReadOnlyList<SkillPart> parts, CancellationToken cancellationToken)
    {
        var skill = await GetAsync(workspaceId, skillId, cancellationToken);
        if (!skill.IsSuccess)
        {
            return skill.Error;
        }

        var bundle = await SkillBundle.ReadAsync(parts, cancellationToken);
        if (!bundle.IsSuccess)
        {
            return bundle.Error;
        }

        if (bundle.Value.Name != skill.Value.Name)
        {
            return LucidError.Invalid("files", $"This upload's SKILL.md names the skill '{bundle.Value.Name}', but skill {skillId} is '{skill.Value.Name}': a skill's name never changes.");
        }

        var version = await StoreFilesAsync(skillId, bundle.Value, time.GetUtcNow(), cancellationToken);
        if (!await store.AddSkillVersionAsync(version, cancellationToken))
        {
            await ReleaseAsync([version], cancellationToken);
            return LucidError.NotFound("Skill", skillId);
        }

        return version;
    }

    /// <summary>A skill of the workspace, or not found (another workspace's skill is not found either).</summary>
    public async Task<Result<Skill>> GetAsync(string workspaceId, string skillId, CancellationToken cancellationToken)
    {
        var skill = IdPrefixes.Has(skillId, IdPrefixes.Skill) ? await store.GetSkillAsync(skillId, cancellationToken) : null;
        return skill is null || skill.WorkspaceId != workspaceId ? LucidError.NotFound("Skill", skillId) : skill;
    }

    /// <summary>The workspace's newest skill named <paramref name="name"/> (its SKILL.md's name), or null.</summary>
    public async Task<Skill?> FindByNameAsync(string workspaceId, string name, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await store.ListSkillsAsync(workspaceId, new PageRequest(100, cursor), cancellationToken);
            if (page.Items.FirstOrDefault(s => s.Name == name) is { } found)
            {
                return found;
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);
        return null;
    }

    /// <summary>The workspace's skills, newest first.</summary>
    public Task<Page<Skill>> ListAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken) =>
        store.ListSkillsAsync(workspaceId, page, cancellationToken);

    /// <summary>A version of a skill of the workspace by its ID, or the newest one for <see cref="Latest"/>.</summary>
    public async Task<Result<SkillVersion>> GetVersionAsync(string workspaceId, string skillId, string version, CancellationToken cancellationToken)
    {
        var skill = await GetAsync(workspaceId, skillId, cancellationToken);
        if (!skill.IsSuccess)
        {
            return skill.Error;
        }

        var id = version == Latest ? skill.Value.LatestVersionId : version;
        return id is not null && await store.GetSkillVersionAsync(skillId, id, cancellationToken) is { } found
            ? found
            : LucidError.NotFound("Skill version", $"{skillId}/{version}");
    }

    /// <summary>The versions of a skill (read with <see cref="GetAsync"/>), newest first.</summary>
    public Task<Page<SkillVersion>> ListVersionsAsync(Skill skill, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skill);
        return store.ListSkillVersionsAsync(skill.Id, page, cancellationToken);
    }

    /// <summary>Deletes a skill of the workspace with all its versions.</summary>
    public async Task<Result<Skill>> DeleteAsync(string workspaceId, string skillId, CancellationToken cancellationToken)
    {
        var skill = await GetAsync(workspaceId, skillId, cancellationToken);
        if (!skill.IsSuccess || await store.DeleteSkillAsync(skillId, cancellationToken) is not { } versions)
        {
            return skill.IsSuccess ? LucidError.NotFound("Skill", skillId) : skill;
        }

        await ReleaseAsync(versions, cancellationToken);
        return skill;
    }

    /// <summary>Deletes a version of a skill of the workspace; its only version cannot go (delete the skill instead).</summary>
    public async Task<Result<SkillVersion>> DeleteVersionAsync(string workspaceId, string skillId, string versionId, CancellationToken cancellationToken)
    {
        var version = await GetVersionAsync(workspaceId, skillId, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return version;
        }

        switch (await store.DeleteSkillVersionAsync(skillId, version.Value.Id, time.GetUtcNow(), cancellationToken))
        {
            case SkillVersionDeletion.OnlyVersion:
                return LucidError.Conflict($"Version {version.Value.Id} is the only version of skill {skillId}, and a skill always has one; delete the skill instead.");
            case SkillVersionDeletion.NotFound:
                return LucidError.NotFound("Skill version", $"{skillId}/{versionId}");
            default:
                await ReleaseAsync([version.Value], cancellationToken);
                return version;
        }
    }

    /// <summary>Writes a version's files as a zip whose one top-level directory is the skill's name.</summary>
    public async Task WriteArchiveAsync(SkillVersion version, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var file in version.Files)
        {
            var entry = archive.CreateEntry($"{version.Name}/{file.Path}", CompressionLevel.Optimal);
            await using var target = await entry.OpenAsync(cancellationToken);
            await using var content = await OpenAsync(version, file, cancellationToken);
            await content.CopyToAsync(target, cancellationToken);
        }
    }

    /// <summary>Writes a version's files under <paramref name="directory"/> (which must not exist yet), read-only.</summary>
    public async Task CopyToAsync(SkillVersion version, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var file in version.Files)
        {
            var path = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path) ?? directory);
            await using (var content = await OpenAsync(version, file, cancellationToken))
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                await content.CopyToAsync(target, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }
    }

    /// <summary>Opens the content of <paramref name="file"/>, one of <paramref name="version"/>'s files.</summary>
    public async Task<Stream> OpenAsync(SkillVersion version, SkillFile file, CancellationToken cancellationToken) =>
        await blobs.OpenAsync(file.ContentSha256, cancellationToken)
            ?? throw new InvalidOperationException($"The content of {file.Path} of skill version {version.Id} ({file.ContentSha256}) is missing from the blob store.");

    private async Task<SkillVersion> StoreFilesAsync(string skillId, SkillBundle bundle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var files = new List<SkillFile>(bundle.Files.Count);
        foreach (var (path, content) in bundle.Files)
        {
            var blob = await blobs.PutAsync(new MemoryStream(content, writable: false), SkillBundle.MaxTotalBytes, cancellationToken)
                ?? throw new InvalidOperationException($"{path} is larger than the bundle that holds it.");
            files.Add(new SkillFile(path, blob.Sha256, blob.SizeBytes));
        }

        return new SkillVersion
        {
            Id = ids.NewId(IdPrefixes.SkillVersion),
            SkillId = skillId,
            Name = bundle.Name,
            Description = bundle.Manifest.Description,
            Files = files,
            CreatedAt = now,
        };
    }

    // Removes the blobs of deleted versions that nothing else uses any more.
    private async Task ReleaseAsync(IEnumerable<SkillVersion> versions, CancellationToken cancellationToken)
    {
        foreach (var sha256 in versions.SelectMany(v => v.Files).Select(f => f.ContentSha256).Distinct(StringComparer.Ordinal))
        {
            if (!await usage.BlobInUseAsync(sha256, cancellationToken))
            {
                await blobs.DeleteAsync(sha256, cancellationToken);
            }
        }
    }
}
