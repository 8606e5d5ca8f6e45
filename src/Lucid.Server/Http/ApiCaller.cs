using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>Who a <c>/v1</c> request comes from: the API key it was authenticated with and that key's workspace (the tenant).</summary>
/// <param name="KeyId">The key's ID (<c>key_…</c>).</param>
/// <param name="WorkspaceId">The workspace the key acts in.</param>
internal sealed record ApiCaller(string KeyId, string WorkspaceId)
{
    /// <summary>The caller recorded on the request, or null when it was not authenticated (a path outside <c>/v1</c>).</summary>
    public static ApiCaller? Of(HttpContext context) => context.Features.Get<ApiCaller>();

    /// <summary>Records the caller on the request.</summary>
    public void AttachTo(HttpContext context) => context.Features.Set(this);
}
