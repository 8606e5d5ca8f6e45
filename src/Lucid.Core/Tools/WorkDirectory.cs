using Lucid.Results;
using Lucid.Sandboxing;

namespace Lucid.Tools;

/// <summary>
/// A session's work directory: where its tools work. Every path a built-in tool touches must resolve inside it. The
/// directory is made when something first needs it, so a session whose agent never touches files never makes one.
/// </summary>
internal sealed class WorkDirectory
{
    private readonly Lazy<string> _root;

    /// <summary>A work directory rooted at <paramref name="root"/>, created (if missing) at its first use.</summary>
    public WorkDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = new Lazy<string>(() =>
        {
            Directory.CreateDirectory(root);
            return Path.GetFullPath(ResolveLinks(Path.GetFullPath(root)));
        });
    }

    /// <summary>The absolute path of the directory, with symbolic links resolved; the directory exists once this is read.</summary>
    public string Root => _root.Value;

    /// <summary>
    /// Resolves a path given by the agent (relative to the root, absolute inside it, or absolute under
    /// <c>/workspace</c>, where the sandbox shows the directory to <c>bash</c>) to an absolute path inside the directory.
    /// Paths that leave it — through <c>..</c>, an absolute path elsewhere, or a symbolic link pointing out — are refused
    /// with an invalid-request error naming the path.
    /// </summary>
    public Result<string> Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return LucidError.Invalid("path", "The path is empty.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return LucidError.Invalid("path", "The path contains a NUL character.");
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));
        if (!IsInside(full) && FromSandbox(full) is { } mapped)
        {
            full = mapped;
        }

        if (!IsInside(full))
        {
            return Outside(path);
        }

        // A symbolic link anywhere along the path may point outside; resolve what exists and check again.
        var real = ResolveLinks(full);
        return IsInside(real) ? real : Outside(path);
    }

    // A path as bash sees it in the sandbox (the directory's own path wins when the two overlap).
    private string? FromSandbox(string fullPath)
    {
        const string Mount = BubblewrapArguments.WorkspacePath;
        return fullPath == Mount ? Root
            : fullPath.StartsWith(Mount + "/", StringComparison.Ordinal) ? Path.Combine(Root, fullPath[(Mount.Length + 1)..])
            : null;
    }

    private bool IsInside(string fullPath) =>
        fullPath == Root || fullPath.StartsWith(Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private LucidError Outside(string path) =>
        LucidError.Invalid("path", $"'{path}' is outside the session's directory ({Root}); tools may only touch files inside it.");

    // Resolves symbolic links in every existing prefix of the path; the part that does not exist yet is kept as is.
    private static string ResolveLinks(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists && info.LinkTarget is null)
            {
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            current = target is null ? next : Path.GetFullPath(target.FullName);
        }

        return current;
    }
}
