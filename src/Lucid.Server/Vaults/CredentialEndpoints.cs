using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Vaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Vaults;

/// <summary>
/// <c>/v1/vaults/{vault_id}/credentials</c>: create, list, retrieve, update, archive, delete, and validate an
/// <c>mcp_oauth</c> credential against its server. Secrets go in and never
/// come out: every answer is <see cref="CredentialWire.ToJson"/>, which has none.
/// </summary>
internal static class CredentialEndpoints
{
    public static RouteGroupBuilder MapCredentials(this RouteGroupBuilder vaults)
    {
        var credentials = vaults.MapGroup("/{vaultId}/credentials");
        credentials.MapPost("", CreateAsync);
        credentials.MapGet("", ListAsync);
        credentials.MapGet("/{id}", RetrieveAsync);
        credentials.MapPost("/{id}", UpdateAsync);
        credentials.MapPost("/{id}/archive", ArchiveAsync);
        credentials.MapDelete("/{id}", DeleteAsync);
        credentials.MapPost("/{id}/mcp_oauth_validate", ValidateAsync);
        return vaults;
    }

    private static IResult Answer(Result<VaultCredential> result) =>
        result.IsSuccess ? TypedResults.Json(CredentialWire.ToJson(result.Value)) : ApiErrors.From(result.Error);

    private static string VaultId(string vaultId) => Requests.Id(vaultId, IdPrefixes.Vault, "vault_id");

    private static string CredentialId(string id) => Requests.Id(id, IdPrefixes.Credential, "credential_id");

    private static async Task<IResult> CreateAsync(HttpContext http, string vaultId, CredentialService credentials)
    {
        var body = await Requests.BodyAsync(http.Request);
        var (auth, secrets) = CredentialWire.ReadNew(body.RequiredObject("auth"));
        var request = new NewCredential(body.String("display_name"), body.StringMap("metadata"), auth, secrets);
        return Answer(await credentials.CreateAsync(ApiFilter.Workspace(http), VaultId(vaultId), request, http.RequestAborted));
    }

    private static async Task<IResult> ListAsync(HttpContext http, string vaultId, CredentialService credentials)
    {
        var (workspace, vault, archived, page) = (ApiFilter.Workspace(http), VaultId(vaultId), Requests.Flag(http.Request, "include_archived"), Requests.Page(http.Request));
        LucidError? missing = null;
        var listed = await Requests.PageAsync(async () =>
        {
            var result = await credentials.ListAsync(workspace, vault, archived, page, http.RequestAborted);
            missing = result.Error;
            return result.Value ?? new Lucid.Storage.Page<VaultCredential>([], null);
        });
        return missing is null ? TypedResults.Json(Wire.Page(listed, CredentialWire.ToJson)) : ApiErrors.From(missing);
    }

    private static async Task<IResult> ValidateAsync(HttpContext http, string vaultId, string id, CredentialValidator validator)
    {
        var validated = await validator.ValidateAsync(ApiFilter.Workspace(http), VaultId(vaultId), CredentialId(id), http.RequestAborted);
        return validated.IsSuccess ? TypedResults.Json(CredentialValidationWire.ToJson(validated.Value)) : ApiErrors.From(validated.Error);
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string vaultId, string id, CredentialService credentials) =>
        Answer(await credentials.GetAsync(ApiFilter.Workspace(http), VaultId(vaultId), CredentialId(id), http.RequestAborted));

    private static async Task<IResult> UpdateAsync(HttpContext http, string vaultId, string id, CredentialService credentials)
    {
        var (vault, credential) = (VaultId(vaultId), CredentialId(id));
        var body = await Requests.BodyAsync(http.Request);
        var metadata = VaultEndpoints.MetadataPatch(body);
        var auth = body.Object("auth");
        var name = body.String("display_name");
        return Answer(await credentials.UpdateAsync(ApiFilter.Workspace(http), vault, credential, (current, secrets) =>
        {
            var next = auth is { } a ? CredentialWire.ReadUpdate(a, current.Auth, secrets) : (current.Auth, secrets);
            return next.IsSuccess
                ? new CredentialChanges(body.Has("display_name") ? name : current.DisplayName, Wire.Patch(current.Metadata, metadata), next.Value.Auth, next.Value.Secrets)
                : next.Error;
        }, http.RequestAborted));
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string vaultId, string id, CredentialService credentials) =>
        Answer(await credentials.ArchiveAsync(ApiFilter.Workspace(http), VaultId(vaultId), CredentialId(id), http.RequestAborted));

    private static async Task<IResult> DeleteAsync(HttpContext http, string vaultId, string id, CredentialService credentials)
    {
        var deleted = await credentials.DeleteAsync(ApiFilter.Workspace(http), VaultId(vaultId), CredentialId(id), http.RequestAborted);
        return deleted.IsSuccess ? TypedResults.Json(new JsonObject { ["type"] = "vault_credential_deleted", ["id"] = deleted.Value.Id }) : ApiErrors.From(deleted.Error);
    }
}
