using System.Text.Json.Nodes;
using Lucid.Server.Http;
using Lucid.Vaults;

namespace Lucid.Server.Vaults;

/// <summary>A credential validation's JSON, the SDK's <c>BetaManagedAgentsCredentialValidation</c>.</summary>
internal static class CredentialValidationWire
{
    public static JsonObject ToJson(CredentialValidation validation) => new()
    {
        ["type"] = "vault_credential_validation",
        ["credential_id"] = validation.CredentialId,
        ["vault_id"] = validation.VaultId,
        ["has_refresh_token"] = validation.HasRefreshToken,
        ["status"] = validation.Status switch
        {
            CredentialValidationStatus.Valid => "valid",
            CredentialValidationStatus.Invalid => "invalid",
            _ => "unknown",
        },
        ["mcp_probe"] = validation.McpProbe is { } probe ? new JsonObject { ["method"] = probe.Method, ["http_response"] = Response(probe.Response) } : null,
        ["refresh"] = validation.Refresh is { } refresh
            ? new JsonObject
            {
                ["status"] = refresh.Outcome switch
                {
                    RefreshOutcome.Succeeded => "succeeded",
                    RefreshOutcome.Failed => "failed",
                    RefreshOutcome.ConnectError => "connect_error",
                    _ => "no_refresh_token",
                },
                ["http_response"] = Response(refresh.Response),
            }
            : null,
        ["validated_at"] = Wire.Time(validation.ValidatedAt),
    };

    private static JsonObject? Response(CapturedResponse? response) => response is null ? null : new JsonObject
    {
        ["status_code"] = response.StatusCode,
        ["content_type"] = response.ContentType,
        ["body"] = response.Body,
        ["body_truncated"] = response.BodyTruncated,
    };
}
