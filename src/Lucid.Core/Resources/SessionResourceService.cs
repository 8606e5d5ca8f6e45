using Lucid.Ids;
using Lucid.Results;
using Lucid.Sessions;

namespace Lucid.Resources;

/// <summary>
/// The files and repositories of sessions: checked and made ready (files copied, repositories cloned) before a session is
/// stored, and files added to or removed from a session later. A file is copied when it is mounted, so deleting the file
/// from the Files API leaves the sessions that mount it as they are.
/// </summary>
public sealed class SessionResourceService
{
    /// <summary>The most files and repositories one session may mount, together.</summary>
    public const int MaxResources = 100;

    private readonly EngineParts _parts;

    internal SessionResourceService(EngineParts parts) => _parts = parts;

    /// <summary>
    /// Checks the resources a new session asks for, then copies its files and clones its repositories into its area
    /// and work directory. On any error nothing is left behind.
    /// </summary>
    internal async Task<Result<(IReadOnlyList<FileResource> Files, IReadOnlyList<RepositoryResource> Repositories)>> PrepareAsync(
        string workspaceId, string sessionId, string workDirectory, SessionDefinition definition, CancellationToken cancellationToken)
    {
        var planned = await CheckAsync(workspaceId, definition.Files, definition.Repositories, cancellationToken);
        if (!planned.IsSuccess)
        {
            return planned.Error;
        }

        var (files, repositories) = planned.Value;

        // Directories made here go again when a copy or clone fails; the work directory's root only when left empty.
        var area = Area(sessionId);
        var made = new[] { _parts.Options.WorkDirectoriesRoot, workDirectory }.Select(Path.GetFullPath).Where(d => !Directory.Exists(d)).ToList();
        var ready = await CopyFilesAsync(workspaceId, area, files, cancellationToken)
            ?? await CloneAsync(area, workDirectory, repositories, definition.Repositories, cancellationToken);
        if (ready is not null)
        {
            area.Delete();
            foreach (var directory in Enumerable.Reverse(made).Where(Directory.Exists))
            {
                if (directory == Path.GetFullPath(workDirectory) || !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory, recursive: true);
                }
            }

            return ready;
        }

        return (files, repositories);
    }

    /// <summary>
    /// Checks files and repositories as a new session would mount them — how many, files of the workspace, allowed mount
    /// paths that overlap nothing — without copying or cloning anything. Deployments check
    /// their resources with it too.
    /// </summary>
    internal async Task<Result<(IReadOnlyList<FileResource> Files, IReadOnlyList<RepositoryResource> Repositories)>> CheckAsync(
        string workspaceId, IReadOnlyList<FileAttachment> attachedFiles, IReadOnlyList<RepositoryAttachment> attachedRepositories, CancellationToken cancellationToken)
    {
        if (attachedFiles.Count + attachedRepositories.Count > MaxResources)
        {
            return LucidError.Invalid("resources", $"A session can mount at most {MaxResources} files and repositories; got {attachedFiles.Count + attachedRepositories.Count}.");
        }

        var now = _parts.Time.GetUtcNow();
        var files = new List<FileResource>();
        var taken = new List<string>();
        foreach (var attachment in attachedFiles)
        {
            var file = await CheckFileAsync(workspaceId, attachment, taken, cancellationToken);
            if (!file.IsSuccess)
            {
                return file.Error;
            }

            files.Add(file.Value with { CreatedAt = now, UpdatedAt = now });
            taken.Add(file.Value.MountPath);
        }

        var repositories = new List<RepositoryResource>();
        foreach (var attachment in attachedRepositories)
        {
            var mountPath = attachment.MountPath ?? MountPaths.DefaultForRepository(attachment.Url);
            if (mountPath is null)
            {
                return LucidError.Invalid("resources.mount_path", $"No repository name can be read from '{attachment.Url}'; give a mount_path.");
            }

            if ((MountPaths.Check(mountPath, "resources.mount_path") ?? Overlapping(mountPath, taken)) is { } error)
            {
                return error;
            }

            taken.Add(mountPath);
            repositories.Add(new RepositoryResource
            {
                Id = _parts.Ids.NewId(IdPrefixes.SessionResource),
                Url = attachment.Url,
                MountPath = mountPath,
                Checkout = attachment.Checkout,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        return (files, repositories);
    }

    /// <summary>Mounts a file into a session; it appears from the session's next command on.</summary>
    public async Task<Result<FileResource>> AddFileAsync(string workspaceId, string sessionId, FileAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var session = await WritableAsync(workspaceId, sessionId, cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error;
        }

        if (session.Value.Files.Count + session.Value.Repositories.Count >= MaxResources)
        {
            return LucidError.Invalid("file_id", $"Session '{sessionId}' already mounts {MaxResources} files and repositories, the most it may.");
        }

        var taken = session.Value.Files.Select(f => f.MountPath).Concat(session.Value.Repositories.Select(r => r.MountPath)).ToList();
        var checkedFile = await CheckFileAsync(workspaceId, attachment, taken, cancellationToken);
        if (!checkedFile.IsSuccess)
        {
            return checkedFile.Error;
        }

        var now = _parts.Time.GetUtcNow();
        var file = checkedFile.Value with { CreatedAt = now, UpdatedAt = now };
        if (await CopyFilesAsync(workspaceId, Area(sessionId), [file], cancellationToken) is { } copyError)
        {
            return copyError;
        }

        await ChangedAsync(session.Value with { Files = [.. session.Value.Files, file], UpdatedAt = now }, cancellationToken);
        return file;
    }

    /// <summary>
    /// Takes a new token for a repository resource. Lucid clones a repository once, when the session is created, so the
    /// token is not used and, as every token, not kept; the resource's <c>updated_at</c> records the rotation.
    /// </summary>
    public async Task<Result<RepositoryResource>> RotateTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken)
    {
        var session = await WritableAsync(workspaceId, sessionId, cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error;
        }

        if (session.Value.Files.Any(f => f.Id == resourceId))
        {
            return LucidError.Invalid("authorization_token", $"Resource '{resourceId}' is a file; only github_repository resources take a new authorization_token.");
        }

        if (session.Value.Repositories.FirstOrDefault(r => r.Id == resourceId) is not { } repository)
        {
            return LucidError.NotFound("Session resource", resourceId);
        }

        var now = _parts.Time.GetUtcNow();
        var rotated = repository with { UpdatedAt = now };
        await ChangedAsync(session.Value with { Repositories = [.. session.Value.Repositories.Select(r => r.Id == resourceId ? rotated : r)], UpdatedAt = now }, cancellationToken);
        return rotated;
    }

    /// <summary>Unmounts a file or removes a cloned repository (its clone goes too); returns the resource's ID.</summary>
    public async Task<Result<string>> DeleteAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken)
    {
        var session = await WritableAsync(workspaceId, sessionId, cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error;
        }

        var current = session.Value;
        var file = current.Files.FirstOrDefault(f => f.Id == resourceId);
        var repository = current.Repositories.FirstOrDefault(r => r.Id == resourceId);
        if (file is null && repository is null)
        {
            return LucidError.NotFound("Session resource", resourceId);
        }

        var now = _parts.Time.GetUtcNow();
        await ChangedAsync(
            current with { Files = [.. current.Files.Where(f => f.Id != resourceId)], Repositories = [.. current.Repositories.Where(r => r.Id != resourceId)], UpdatedAt = now },
            cancellationToken);
        var area = Area(sessionId);
        var leftover = file is not null ? area.FileCopy(file.Id) : area.CloneTarget(current.WorkDirectory, repository ?? throw new InvalidOperationException("Neither a file nor a repository."));
        if (File.Exists(leftover))
        {
            File.Delete(leftover);
        }
        else if (Directory.Exists(leftover))
        {
            Directory.Delete(leftover, recursive: true);
        }

        return resourceId;
    }

    // Stores the session's new resources and tells its runners, which take them at their next turn.
    private async Task ChangedAsync(Session session, CancellationToken cancellationToken)
    {
        await _parts.Store.UpdateSessionAsync(session, cancellationToken);
        _parts.ChangedResources[session.Id] = session;
    }

    /// <summary>Forgets a deleted session's resource changes.</summary>
    internal void Forget(string sessionId) => _parts.ChangedResources.TryRemove(sessionId, out _);

    /// <summary>The host area of a session's resources.</summary>
    internal SessionArea Area(string sessionId) => SessionArea.Of(_parts.Options.WorkDirectoriesRoot, sessionId);

    private async Task<Result<Session>> WritableAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var session = await _parts.Store.GetSessionAsync(sessionId, cancellationToken);
        if (session is null || session.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Session", sessionId);
        }

        return session.ArchivedAt is not null || session.Status == SessionStatus.Terminated
            ? LucidError.Conflict($"Session '{sessionId}' is {(session.ArchivedAt is not null ? "archived" : "terminated")}; its resources can no longer change.")
            : session;
    }

    // The file must be the workspace's and still have its bytes; its mount path must be allowed and free.
    private async Task<Result<FileResource>> CheckFileAsync(string workspaceId, FileAttachment attachment, IReadOnlyList<string> taken, CancellationToken cancellationToken)
    {
        var file = await _parts.Files.GetAsync(workspaceId, attachment.FileId, cancellationToken);
        if (!file.IsSuccess)
        {
            return file.Error;
        }

        var mountPath = attachment.MountPath ?? $"{MountPaths.Uploads}/{file.Value.Id}";
        if ((MountPaths.Check(mountPath, "mount_path") ?? Overlapping(mountPath, taken)) is { } error)
        {
            return error;
        }

        return new FileResource { Id = _parts.Ids.NewId(IdPrefixes.SessionResource), FileId = file.Value.Id, MountPath = mountPath, CreatedAt = default, UpdatedAt = default };
    }

    private static LucidError? Overlapping(string mountPath, IReadOnlyList<string> taken) =>
        taken.FirstOrDefault(t => MountPaths.Overlap(t, mountPath)) is { } other
            ? LucidError.Invalid("mount_path", $"mount_path '{mountPath}' overlaps '{other}', where another resource of the session is mounted.")
            : null;

    private async Task<LucidError?> CopyFilesAsync(string workspaceId, SessionArea area, IReadOnlyList<FileResource> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var opened = await _parts.Files.OpenAsync(workspaceId, file.FileId, cancellationToken);
            if (!opened.IsSuccess)
            {
                return opened.Error;
            }

            var copy = area.FileCopy(file.Id);
            Directory.CreateDirectory(Path.GetDirectoryName(copy) ?? area.Root);
            await using (var content = opened.Value.Content)
            await using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write))
            {
                await content.CopyToAsync(target, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }

        return null;
    }

    private static async Task<LucidError?> CloneAsync(
        SessionArea area, string workDirectory, IReadOnlyList<RepositoryResource> repositories, IReadOnlyList<RepositoryAttachment> attachments, CancellationToken cancellationToken)
    {
        for (var i = 0; i < repositories.Count; i++)
        {
            var target = area.CloneTarget(workDirectory, repositories[i]);
            if (Path.Exists(target))
            {
                return LucidError.Invalid("resources.mount_path", $"{repositories[i].MountPath} already exists in the session's work directory; choose another mount_path for {repositories[i].Url}.");
            }

            if (await RepositoryCloner.CloneAsync(attachments[i], target, "resources", cancellationToken) is { } error)
            {
                // Clones made inside the work directory before this one go too.
                foreach (var made in repositories.Take(i).Select(r => area.CloneTarget(workDirectory, r)).Where(Directory.Exists))
                {
                    Directory.Delete(made, recursive: true);
                }

                return error;
            }
        }

        return null;
    }
}
