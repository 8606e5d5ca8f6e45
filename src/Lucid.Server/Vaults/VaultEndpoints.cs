using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Vaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Vaults;

/// <summary><c>/v1/vaults</c>: create, list, retrieve, update, archive, delete; a vault's credentials are under <see cref="CredentialEndpoints"/>.</summary>
internal static class VaultEndpoints
{
    public static RouteGroupBuilder MapVaults(this RouteGroupBuilder v1)
    {
        var vaults = v1.MapGroup("/vaults");
        vaults.MapPost("", CreateAsync);
        vaults.MapGet("", ListAsync);
        vaults.MapGet("/{id}", RetrieveAsync);
        vaults.MapPost("/{id}", UpdateAsync);
        vaults.MapPost("/{id}/archive", ArchiveAsync);
        vaults.MapDelete("/{id}", DeleteAsync);
        vaults.MapCredentials();
        return v1;
    }

    public static JsonObject ToJson(Vault vault) => new()
    {
        ["type"] = "vault",
        ["id"] = vault.Id,
        ["display_name"] = vault.DisplayName,
        ["metadata"] = Wire.Map(vault.Metadata),
        ["created_at"] = Wire.Time(vault.CreatedAt),
        ["updated_at"] = Wire.Time(vault.UpdatedAt),
        ["archived_at"] = Wire.Time(vault.ArchivedAt),
    };

    private static IResult Answer(Result<Vault> result) => result.IsSuccess ? TypedResults.Json(ToJson(result.Value)) : ApiErrors.From(result.Error);

    private static async Task<IResult> CreateAsync(HttpContext http, VaultService vaults)
    {
        var body = await Requests.BodyAsync(http.Request);
        return Answer(await vaults.CreateAsync(ApiFilter.Workspace(http), body.RequiredString("display_name"), body.StringMap("metadata"), http.RequestAborted));
    }

    private static async Task<IResult> ListAsync(HttpContext http, VaultService vaults)
    {
        var page = await Requests.PageAsync(() => vaults.ListAsync(ApiFilter.Workspace(http), Requests.Flag(http.Request, "include_archived"), Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, ToJson));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, VaultService vaults) =>
        Answer(await vaults.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Vault, "vault_id"), http.RequestAborted));

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, VaultService vaults)
    {
        var workspace = ApiFilter.Workspace(http);
        var current = await vaults.GetAsync(workspace, Requests.Id(id, IdPrefixes.Vault, "vault_id"), http.RequestAborted);
        if (!current.IsSuccess)
        {
            return ApiErrors.From(current.Error);
        }

        var body = await Requests.BodyAsync(http.Request);
        if (body.IsNull("display_name"))
        {
            return ApiErrors.From(LucidError.Invalid("display_name", "display_name cannot be cleared."));
        }

        return Answer(await vaults.UpdateAsync(
            workspace, id, body.String("display_name") ?? current.Value.DisplayName, Wire.Patch(current.Value.Metadata, MetadataPatch(body)), http.RequestAborted));
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, VaultService vaults) =>
        Answer(await vaults.ArchiveAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Vault, "vault_id"), http.RequestAborted));

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, VaultService vaults)
    {
        var deleted = await vaults.DeleteAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Vault, "vault_id"), http.RequestAborted);
        return deleted.IsSuccess ? TypedResults.Json(new JsonObject { ["type"] = "vault_deleted", ["id"] = deleted.Value.Id }) : ApiErrors.From(deleted.Error);
    }

    /// <summary>A metadata patch: a string upserts its key; null (or the empty string, as the API does elsewhere) deletes it.</summary>
    internal static Dictionary<string, string?>? MetadataPatch(WireObject body) =>
        body.StringMapPatch("metadata")?.ToDictionary(p => p.Key, p => string.IsNullOrEmpty(p.Value) ? null : p.Value, StringComparer.Ordinal);
}
