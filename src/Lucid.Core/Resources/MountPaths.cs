using Lucid.Results;

namespace Lucid.Resources;

/// <summary>Where resources may be mounted in a session's sandbox, and where they go when the caller names no place.</summary>
public static class MountPaths
{
    /// <summary>Where uploaded files are mounted by default, each at <c>/mnt/session/uploads/&lt;file_id&gt;</c>.</summary>
    public const string Uploads = "/mnt/session/uploads";

    /// <summary>Where a session writes the files it hands back; they are listed as files scoped to the session.</summary>
    public const string Outputs = "/mnt/session/outputs";

    /// <summary>The session's work directory in the sandbox; repositories are cloned under it by default.</summary>
    public const string Workspace = Sandboxing.BubblewrapArguments.WorkspacePath;

    /// <summary>The longest mount path.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// Checks a mount path: absolute and plain (no <c>.</c>, <c>..</c> or empty segments), under <c>/workspace/</c> or
    /// <c>/mnt/</c>, but not under the memory stores' <c>/mnt/memory</c> or the outputs directory.
    /// </summary>
    public static LucidError? Check(string path, string field)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        if (path.Length is 0 or > MaxLength || path[0] != '/' || segments.Skip(1).Any(s => s is "" or "." or ".." ) || path.Any(char.IsControl))
        {
            return LucidError.Invalid(field, $"mount_path must be an absolute path of at most {MaxLength:N0} characters without '.', '..' or empty segments; got '{Shorten(path)}'.");
        }

        var allowed = (path.StartsWith(Workspace + "/", StringComparison.Ordinal) || path.StartsWith("/mnt/", StringComparison.Ordinal))
            && !Within(path, Memory.MemoryPaths.MountRoot) && !Within(path, Outputs) && !Within(Outputs, path);
        return allowed ? null : LucidError.Invalid(field, $"mount_path must be under {Workspace}/ or /mnt/ (but not under {Memory.MemoryPaths.MountRoot} or {Outputs}); got '{Shorten(path)}'.");
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="parent"/> or inside it.</summary>
    public static bool Within(string path, string parent) =>
        path == parent || path.StartsWith(parent + "/", StringComparison.Ordinal);

    /// <summary>Whether two mount paths would cover each other (one is the other or inside it).</summary>
    public static bool Overlap(string a, string b) => Within(a, b) || Within(b, a);

    /// <summary>The default mount path of a repository: <c>/workspace/&lt;repo-name&gt;</c>, the name being the URL's last segment without <c>.git</c>.</summary>
    public static string? DefaultForRepository(string url)
    {
        var name = url.TrimEnd('/');
        name = name[(name.LastIndexOfAny(['/', ':']) + 1)..];
        name = name.EndsWith(".git", StringComparison.Ordinal) ? name[..^4] : name;
        return name.Length == 0 || name is "." or ".." ? null : $"{Workspace}/{name}";
    }

    private static string Shorten(string path) => path.Length <= 80 ? path : path[..80] + "…";
}
