namespace Lucid.Resources;

/// <summary>
/// Where a session's resources live on the host, beside its work directory: copies of its mounted files, the
/// repositories cloned outside <c>/workspace</c>, and its outputs directory. Removed with the session.
/// </summary>
/// <param name="Root">The area's directory.</param>
public sealed record SessionArea(string Root)
{
    /// <summary>The area of session <paramref name="sessionId"/> under the work directories' root.</summary>
    public static SessionArea Of(string workDirectoriesRoot, string sessionId) =>
        new(Path.GetFullPath(Path.Combine(workDirectoriesRoot, sessionId + ".resources")));

    /// <summary>The host copy of a mounted file.</summary>
    public string FileCopy(string resourceId) => Path.Combine(Root, "files", resourceId);

    /// <summary>The host copy of a skill version's files, shared by the session's threads.</summary>
    public string SkillCopy(string versionId) => Path.Combine(Root, "skills", versionId);

    /// <summary>The host directory of a repository cloned outside the work directory.</summary>
    public string CloneOf(string resourceId) => Path.Combine(Root, "repositories", resourceId);

    /// <summary>The host directory behind <see cref="MountPaths.Outputs"/>.</summary>
    public string Outputs => Path.Combine(Root, "outputs");

    /// <summary>Where <paramref name="repository"/> is cloned: inside the work directory when the path is under <c>/workspace</c>, else in the area.</summary>
    public string CloneTarget(string workDirectory, RepositoryResource repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return MountPaths.Within(repository.MountPath, MountPaths.Workspace)
            ? Path.Combine(workDirectory, repository.MountPath[(MountPaths.Workspace.Length + 1)..])
            : CloneOf(repository.Id);
    }

    /// <summary>
    /// The host paths the sandbox of <paramref name="session"/> binds: its repositories cloned outside <c>/workspace</c>,
    /// its files read-only, and its outputs directory (made here when it is missing).
    /// </summary>
    public IReadOnlyList<Sandboxing.SandboxMount> Mounts(Sessions.Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Directory.CreateDirectory(Outputs);
        return
        [
            .. session.Repositories.Where(r => !MountPaths.Within(r.MountPath, MountPaths.Workspace))
                .Select(r => new Sandboxing.SandboxMount(CloneOf(r.Id), r.MountPath, ReadOnly: false)),
            .. session.Files.Select(f => new Sandboxing.SandboxMount(FileCopy(f.Id), f.MountPath, ReadOnly: true)),
            new Sandboxing.SandboxMount(Outputs, MountPaths.Outputs, ReadOnly: false),
        ];
    }

    /// <summary>Removes the area and everything in it; a directory that cannot be removed now is left for the operator.</summary>
    public void Delete()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing refers to it any more.
        }
    }
}
