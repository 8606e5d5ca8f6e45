namespace Lucid.Resources;

/// <summary>What a caller asks for when cloning a repository into a new session.</summary>
/// <param name="Url">The repository: any git URL (https, http, git, file) or a local path.</param>
/// <param name="MountPath">Where it appears in the sandbox, or null for <c>/workspace/&lt;repo-name&gt;</c>.</param>
/// <param name="Checkout">The branch or commit to check out, or null for the default branch.</param>
/// <param name="AuthorizationToken">A token for the clone only; it is never stored.</param>
public sealed record RepositoryAttachment(string Url, string? MountPath = null, RepositoryCheckout? Checkout = null, string? AuthorizationToken = null)
{
    /// <inheritdoc />
    public override string ToString() => $"RepositoryAttachment {{ Url = {Url}, MountPath = {MountPath}, Checkout = {Checkout} }}";
}
