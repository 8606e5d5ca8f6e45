using System.Security.Claims;
using Lucid.Auth;
using Lucid.Server.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.WebConsole;

/// <summary>
/// How a browser signs in to the console: with an API key, once; the server then sets an encrypted, HttpOnly,
/// SameSite=Strict cookie that names the key by its hash (never the secret). Every console request checks that
/// the key is still live, so revoking a key signs its browsers out; the console then acts exactly as that key does over
/// the API, in its workspace.
/// </summary>
internal static class ConsoleAuth
{
    public const string Scheme = "lucid-console";
    public const string Path = "/console";
    public const string LoginPath = "/console/login";
    private const string KeyHashClaim = "lucid:key_hash";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "lucid_console";
        options.Cookie.Path = Path;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
    }

    /// <summary>Signs the browser in as <paramref name="key"/>.</summary>
    public static Task SignInAsync(HttpContext http, ApiKey key)
    {
        var identity = new ClaimsIdentity(
            [new Claim(KeyHashClaim, key.Hash), new Claim(ClaimTypes.Name, key.Name ?? key.Prefix + "…")],
            Scheme);
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>
    /// Gates every console path but the sign-in page and the assets: a request without a live key's cookie is sent to
    /// sign in (a page) or refused (anything else); one with it acts as that key's <see cref="ApiCaller"/>.
    /// </summary>
    public static async Task GateAsync(HttpContext http, RequestDelegate next)
    {
        var path = http.Request.Path;
        if (!path.StartsWithSegments(Path, StringComparison.Ordinal)
            || path.StartsWithSegments(LoginPath, StringComparison.Ordinal)
            || path.StartsWithSegments(ConsoleAssets.Path, StringComparison.Ordinal))
        {
            await next(http);
            return;
        }

        var signedIn = await http.AuthenticateAsync(Scheme);
        ApiKey? key;
        try
        {
            key = signedIn.Succeeded && signedIn.Principal.FindFirstValue(KeyHashClaim) is { } hash
                ? await http.RequestServices.GetRequiredService<ApiKeyService>().AuthenticateHashAsync(hash, http.RequestAborted)
                : null;
        }
        catch (Lucid.Storage.StoreUnavailableException)
        {
            // As over the API: the store cannot say whether the key is live, so nothing is served.
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (key is null)
        {
            if (HttpMethods.IsGet(http.Request.Method) && !path.Value!.EndsWith("/stream", StringComparison.Ordinal))
            {
                http.Response.Redirect(LoginPath + QueryString.Create("return", path + http.Request.QueryString));
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return;
        }

        http.User = signedIn.Principal!;
        new ApiCaller(key.Id, key.WorkspaceId).AttachTo(http);
        await next(http);
    }

    /// <summary>Where to go after signing in: the page asked for, when it is a console page; the sessions list otherwise.</summary>
    public static string ReturnTarget(string? requested) =>
        requested is { Length: > 0 } r && r.StartsWith(Path + "/", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\', StringComparison.Ordinal)
            ? r
            : Path + "/sessions";
}
