using Lucid.Auth;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>
/// The edge of every <c>/v1</c> call: authenticates the API key (<c>x-api-key</c> or <c>Authorization: Bearer</c>),
/// records the key's workspace for the handler, and turns request errors into the API's error responses.
/// </summary>
internal sealed class ApiFilter(ApiKeyService keys) : IEndpointFilter
{
    private const string WorkspaceItem = "lucid.workspace";
    private const string KeyItem = "lucid.api_key";

    public static string Workspace(HttpContext context) =>
        context.Items[WorkspaceItem] as string ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>The ID of the API key that authenticated the request.</summary>
    public static string ApiKeyId(HttpContext context) =>
        context.Items[KeyItem] as string ?? throw new InvalidOperationException("The request was not authenticated.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = await keys.AuthenticateAsync(Secret(http.Request), http.RequestAborted);
        if (key is null)
        {
            return ApiErrors.Result(
                StatusCodes.Status401Unauthorized,
                "authentication_error",
                http.Request.Headers.ContainsKey("x-api-key") || http.Request.Headers.ContainsKey("Authorization")
                    ? "The API key is not valid."
                    : "An API key is required: send it in the x-api-key header (or Authorization: Bearer). Create one with: lucid keys create --workspace NAME");
        }

        http.Items[WorkspaceItem] = key.WorkspaceId;
        http.Items[KeyItem] = key.Id;
        try
        {
            return await next(context);
        }
        catch (RequestException ex)
        {
            return ApiErrors.From(ex.Error);
        }
        catch (StoreUnavailableException ex)
        {
            return ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "api_error", ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiErrors.Result(StatusCodes.Status413PayloadTooLarge, "request_too_large", "The request body is larger than this server accepts.");
        }
        catch (BadHttpRequestException ex)
        {
            return ApiErrors.Result(ex.StatusCode, "invalid_request_error", ex.Message);
        }
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
