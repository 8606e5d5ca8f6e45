using Lucid.Ids;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Threads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Server.WebConsole;

/// <summary>
/// The web console under <c>/console</c>: Razor components rendered on the server (no per-connection state, so any node
/// can serve any request), signed in with an API key, and a little script that follows running sessions over the same
/// server-sent event streams as the API.
/// </summary>
internal static class ConsoleSetup
{
    public static void AddLucidConsole(this IServiceCollection services, DirectoryInfo? keysDirectory)
    {
        services.AddRazorComponents();
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, ConsoleAuth.Configure);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "lucid_console_af";
            options.Cookie.Path = ConsoleAuth.Path;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        var protection = services.AddDataProtection().SetApplicationName("lucid-console");
        if (keysDirectory is not null)
        {
            // Persisted, so a restart keeps browsers signed in; the keys encrypt cookies only, never data.
            protection.PersistKeysToFileSystem(keysDirectory);
        }
    }

    public static void UseLucidConsole(this WebApplication app)
    {
        app.Use(ConsoleAuth.GateAsync);
        app.UseAntiforgery();
        app.MapGet(ConsoleAuth.Path, () => TypedResults.Redirect(ConsoleAuth.Path + "/sessions"));
        app.MapGet(ConsoleAssets.Path + "/{name}", ConsoleAssets.Serve);
        app.MapGet(ConsoleAuth.Path + "/sessions/{id}/stream", StreamSessionAsync);
        app.MapGet(ConsoleAuth.Path + "/sessions/{id}/threads/{threadId}/stream", StreamThreadAsync);
        app.MapRazorComponents<ConsoleApp>();
    }

    // The console's own doors to the API's streams: the browser's EventSource cannot send an API key, so these take the
    // console's cookie instead and then stream exactly as /v1/sessions/{id}/events/stream does.
    private static async Task<IResult> StreamSessionAsync(HttpContext http, string id, SessionService sessions, EventHub events, TimeProvider time)
    {
        if (!IdPrefixes.Has(id, IdPrefixes.Session))
        {
            return TypedResults.NotFound();
        }

        var found = await sessions.GetAsync(ApiFilter.Workspace(http), id, http.RequestAborted);
        return found.IsSuccess ? EventStream.Of(http, LogId.Of(found.Value.Id), events, time) : TypedResults.NotFound();
    }

    private static async Task<IResult> StreamThreadAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads, EventHub events, TimeProvider time)
    {
        if (!IdPrefixes.Has(id, IdPrefixes.Session))
        {
            return TypedResults.NotFound();
        }

        var found = await sessions.GetAsync(ApiFilter.Workspace(http), id, http.RequestAborted);
        if (!found.IsSuccess)
        {
            return TypedResults.NotFound();
        }

        var thread = await threads.GetAsync(found.Value, threadId, http.RequestAborted);
        return thread.IsSuccess ? EventStream.Of(http, LogId.Of(thread.Value.Id), events, time) : TypedResults.NotFound();
    }
}
