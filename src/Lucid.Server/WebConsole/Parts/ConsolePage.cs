using Lucid.Server.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.WebConsole.Parts;

/// <summary>A console page: rendered on the server for the signed-in key, and acting in that key's workspace only.</summary>
public abstract class ConsolePage : ComponentBase
{
    /// <summary>The request being rendered.</summary>
    [CascadingParameter]
    public HttpContext Http { get; set; } = default!;

    /// <summary>The signed-in key's workspace; every read and write of the page is scoped to it.</summary>
    protected string Workspace => ApiFilter.Workspace(Http);

    /// <summary>Who acts, for memory versions the page writes: the signed-in key.</summary>
    protected string KeyId => ApiCaller.Of(Http)!.KeyId;

    [Inject]
    private NavigationManager Navigator { get; set; } = default!;

    /// <summary>
    /// Answers 404 for something the workspace does not have (or that does not exist: the two look the same), rendering
    /// the not-found page: a bare 404 status would leave the response without a body.
    /// </summary>
    protected void NotFound()
    {
        Http.Response.StatusCode = StatusCodes.Status404NotFound;
        Navigator.NotFound();
    }
}
