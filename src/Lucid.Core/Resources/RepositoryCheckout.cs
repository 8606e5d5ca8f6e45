namespace Lucid.Resources;

/// <summary>What of a repository to check out: a branch by name, or a commit by its full SHA.</summary>
/// <param name="Kind">Branch or commit.</param>
/// <param name="Value">The branch's name, or the commit's SHA.</param>
public sealed record RepositoryCheckout(CheckoutKind Kind, string Value);

/// <summary>The kinds of checkout.</summary>
public enum CheckoutKind
{
    /// <summary>A branch, by name.</summary>
    Branch,

    /// <summary>A commit, by its full SHA.</summary>
    Commit,
}
