namespace Lucid.Storage;

/// <summary>One page of a list, with the cursor of the next page when there is one.</summary>
/// <param name="Items">The items on this page.</param>
/// <param name="NextPage">An opaque cursor for the next page, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPage);

/// <summary>Which page of a list to read.</summary>
/// <param name="Limit">How many items at most (1–100 in the API).</param>
/// <param name="PageCursor">The cursor from the previous page's <see cref="Page{T}.NextPage"/>, or null for the first page.</param>
public readonly record struct PageRequest(int Limit = 20, string? PageCursor = null);
