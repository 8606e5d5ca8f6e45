using Lucid.Files;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Resources;

/// <summary>
/// Records what a session wrote under <c>/mnt/session/outputs</c> as files of the Files API scoped to the session, each
/// time before it goes idle: a new path becomes a new file, a changed one replaces its file, and a file whose bytes did
/// not change stays as it is. Files the session removed stay recorded.
/// </summary>
internal sealed class SessionOutputs(ISessionStore sessions, IFileStore store, FileService files, string workDirectoriesRoot)
{
    /// <summary>The most outputs recorded per session; past that, later paths are left out.</summary>
    public const int MaxOutputs = 1000;

    /// <summary>Records the outputs of session <paramref name="sessionId"/>; returns the paths left out (too large, or past the limit).</summary>
    public async Task<IReadOnlyList<string>> RecordAsync(string sessionId, CancellationToken cancellationToken)
    {
        // The session is read only when it wrote something.
        var root = SessionArea.Of(workDirectoriesRoot, sessionId).Outputs;
        if (!Directory.Exists(root) || !Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Any()
            || await sessions.GetSessionAsync(sessionId, cancellationToken) is not { } session)
        {
            return [];
        }

        var recorded = await RecordedAsync(session, cancellationToken);
        var skipped = new List<string>();
        var paths = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Order(StringComparer.Ordinal).ToList();
        foreach (var (path, index) in paths.Select((p, i) => (p, i)))
        {
            var outputPath = "/" + Path.GetRelativePath(root, path).Replace('\\', '/');
            if (index >= MaxOutputs)
            {
                skipped.Add(outputPath);
                continue;
            }

            await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var previous = recorded.GetValueOrDefault(outputPath);
            if (previous is not null && previous.SizeBytes == content.Length && previous.ContentSha256 == await Sha256Async(content, cancellationToken))
            {
                continue;
            }

            content.Position = 0;
            var added = await files.AddOutputAsync(session.WorkspaceId, session.Id, outputPath, content, cancellationToken);
            if (!added.IsSuccess)
            {
                skipped.Add(outputPath);
                continue;
            }

            if (previous is not null)
            {
                await files.DeleteAsync(session.WorkspaceId, previous.Id, cancellationToken);
            }
        }

        return skipped;
    }

    private async Task<Dictionary<string, StoredFile>> RecordedAsync(Session session, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, StoredFile>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await store.ListFilesAsync(session.WorkspaceId, session.Id, new PageRequest(1000, cursor), cancellationToken);
            foreach (var file in page.Items.Where(f => f.OutputPath is not null))
            {
                recorded.TryAdd(file.OutputPath ?? "", file);
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);
        return recorded;
    }

    private static async Task<string> Sha256Async(Stream content, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, cancellationToken));
}
