using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lucid.Memory;

/// <summary>
/// Where task-specific lessons live in a memory store: under <c>/tasks/&lt;task&gt;/</c>. A dream puts a lesson there
/// when every session its evidence cites worked on one task (<see cref="Sessions.SessionTasks"/>), since a lesson true for
/// one task misleads the others. A session lists only its own task's folder in its system prompt; a person who judges a
/// lesson general moves it out of <c>/tasks/</c>.
/// </summary>
public static class TaskLessons
{
    /// <summary>The folder of every task's lessons.</summary>
    public const string Root = "/tasks/";

    private const int MaxSegmentLength = 100;

    /// <summary>The folder of one task's lessons, such as <c>/tasks/12/</c>.</summary>
    public static string FolderOf(string taskId) => Root + Segment(taskId) + "/";

    /// <summary><paramref name="path"/> placed in the task's folder, unless it already is there.</summary>
    public static string PlaceFor(string taskId, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = FolderOf(taskId);
        return path.StartsWith(folder, StringComparison.Ordinal) ? path : folder + path.TrimStart('/');
    }

    /// <summary>
    /// Whether a memory at <paramref name="path"/> is a lesson of another task than <paramref name="taskId"/> (of any
    /// task, for a session that names none), so it is left out of the session's listing.
    /// </summary>
    public static bool IsOtherTasks(string path, string? taskId)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(Root, StringComparison.Ordinal) && (taskId is null || !path.StartsWith(FolderOf(taskId), StringComparison.Ordinal));
    }

    // A task ID as one path segment: letters, digits, '-', '_' and '.' kept, anything else '-'; an ID that changes (or is
    // too long, or is '.' or '..') gets a short hash of itself appended, so two IDs never share a folder.
    private static string Segment(string taskId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        var text = new StringBuilder(taskId.Length);
        foreach (var c in taskId)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var segment = text.ToString();
        if (segment == taskId && segment.Length <= MaxSegmentLength && segment is not ("." or ".."))
        {
            return segment;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(taskId)))[..8];
        return string.Create(CultureInfo.InvariantCulture, $"{segment[..Math.Min(segment.Length, MaxSegmentLength)]}-{hash}");
    }
}
