using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>
/// The edge of every <c>/v1</c> handler: gives handlers the caller's workspace and key (authenticated earlier by
/// <see cref="ApiKeyAuthentication"/>), and turns request errors into the API's error responses.
/// </summary>
internal sealed class ApiFilter : IEndpointFilter
{
    /// <summary>The workspace (tenant) of the API key that authenticated the request.</summary>
    public static string Workspace(HttpContext context) => Caller(context).WorkspaceId;

    /// <summary>The ID of the API key that authenticated the request.</summary>
    public static string ApiKeyId(HttpContext context) => Caller(context).KeyId;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
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

    private static ApiCaller Caller(HttpContext context) =>
        ApiCaller.Of(context) ?? throw new InvalidOperationException("The request was not authenticated.");
}
