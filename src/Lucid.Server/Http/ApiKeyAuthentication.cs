using Lucid.Auth;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>
/// Authenticates every <c>/v1</c> request by its API key (<c>x-api-key</c> or <c>Authorization: Bearer</c>) and records
/// the <see cref="ApiCaller"/>; a request without a valid key (unknown or revoked) ends here with 401. It runs before the
/// rate limiter, which counts requests per key.
/// </summary>
internal sealed class ApiKeyAuthentication(RequestDelegate next, ApiKeyService keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        ApiKey? key;
        try
        {
            key = await keys.AuthenticateAsync(Secret(request), context.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "api_error", ex.Message);
            return;
        }

        if (key is null)
        {
            await ApiErrors.WriteAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "authentication_error",
                request.Headers.ContainsKey("x-api-key") || request.Headers.ContainsKey("Authorization")
                    ? "The API key is not valid."
                    : "An API key is required: send it in the x-api-key header (or Authorization: Bearer). Create one with: lucid keys create --workspace NAME");
            return;
        }

        new ApiCaller(key.Id, key.WorkspaceId).AttachTo(context);
        await next(context);
    }

    private static string? Secret(HttpRequest request)
    {
        if (request.Headers.TryGetValue("x-api-key", out var key) && key.Count > 0)
        {
            return key[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
