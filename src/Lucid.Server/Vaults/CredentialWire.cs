using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Vaults;

namespace Lucid.Server.Vaults;

/// <summary>
/// A credential's JSON: its <c>auth</c> read from a create or update request (public part and secrets apart), and
/// written without a single secret.
/// </summary>
internal static class CredentialWire
{
    public static JsonObject ToJson(VaultCredential credential) => new()
    {
        ["type"] = "vault_credential",
        ["id"] = credential.Id,
        ["vault_id"] = credential.VaultId,
        ["display_name"] = credential.DisplayName,
        ["metadata"] = Wire.Map(credential.Metadata),
        ["auth"] = Auth(credential.Auth),
        ["created_at"] = Wire.Time(credential.CreatedAt),
        ["updated_at"] = Wire.Time(credential.UpdatedAt),
        ["archived_at"] = Wire.Time(credential.ArchivedAt),
    };

    private static JsonObject Auth(CredentialAuth auth) => auth switch
    {
        StaticBearerAuth bearer => new() { ["type"] = StaticBearerAuth.TypeName, ["mcp_server_url"] = bearer.ServerUrl },
        McpOAuthAuth oauth => new()
        {
            ["type"] = McpOAuthAuth.TypeName,
            ["mcp_server_url"] = oauth.ServerUrl,
            ["expires_at"] = Wire.Time(oauth.ExpiresAt),
            ["refresh"] = oauth.Refresh is { } refresh ? new JsonObject
            {
                ["client_id"] = refresh.ClientId,
                ["token_endpoint"] = refresh.TokenEndpoint,
                ["token_endpoint_auth"] = new JsonObject { ["type"] = AuthMethodName(refresh.AuthMethod) },
                ["resource"] = refresh.Resource,
                ["scope"] = refresh.Scope,
            } : null,
        },
        EnvironmentVariableAuth variable => new()
        {
            ["type"] = EnvironmentVariableAuth.TypeName,
            ["secret_name"] = variable.SecretName,
            ["networking"] = variable.AllowedHosts is { } hosts
                ? new JsonObject { ["type"] = "limited", ["allowed_hosts"] = new JsonArray([.. hosts.Select(h => JsonValue.Create(h))]) }
                : new JsonObject { ["type"] = "unrestricted" },
            ["injection_location"] = new JsonObject { ["header"] = variable.InHeaders, ["body"] = variable.InBody },
        },
        _ => throw new InvalidOperationException($"No wire form for {auth.GetType().Name}."),
    };

    /// <summary>Reads the <c>auth</c> of a create request.</summary>
    public static (CredentialAuth Auth, CredentialSecrets Secrets) ReadNew(WireObject auth)
    {
        var type = auth.RequiredString("type");
        switch (type)
        {
            case StaticBearerAuth.TypeName:
                return (new StaticBearerAuth { ServerUrl = auth.RequiredString("mcp_server_url", 2048) }, new CredentialSecrets { Token = auth.RequiredString("token", 16_384) });
            case McpOAuthAuth.TypeName:
                var refresh = auth.Object("refresh");
                var endpointAuth = refresh?.Object("token_endpoint_auth");
                return (
                    new McpOAuthAuth
                    {
                        ServerUrl = auth.RequiredString("mcp_server_url", 2048),
                        ExpiresAt = auth.Time("expires_at"),
                        Refresh = refresh is { } r ? new OAuthRefresh
                        {
                            ClientId = r.RequiredString("client_id", 1024),
                            TokenEndpoint = r.RequiredString("token_endpoint", 2048),
                            AuthMethod = endpointAuth is { } e ? AuthMethod(e) : TokenEndpointAuthMethod.None,
                            Resource = r.String("resource", 2048),
                            Scope = r.String("scope", 4096),
                        } : null,
                    },
                    new CredentialSecrets
                    {
                        Token = auth.RequiredString("access_token", 16_384),
                        RefreshToken = refresh?.RequiredString("refresh_token", 16_384),
                        ClientSecret = endpointAuth?.String("client_secret", 4096),
                    });
            case EnvironmentVariableAuth.TypeName:
                var location = auth.Object("injection_location");
                return (
                    new EnvironmentVariableAuth
                    {
                        SecretName = auth.RequiredString("secret_name", 255),
                        AllowedHosts = Networking(auth.RequiredObject("networking")),
                        InHeaders = location?.Bool("header") ?? true,
                        InBody = location?.Bool("body") ?? false,
                    },
                    new CredentialSecrets { Value = auth.RequiredString("secret_value", 65_536) });
            default:
                throw RequestException.Invalid(auth.PathOf("type"), $"{auth.PathOf("type")} must be static_bearer, mcp_oauth or environment_variable; got '{type}'.");
        }
    }

    /// <summary>Applies the <c>auth</c> of an update request to a credential's current auth and secrets; fields left out are kept.</summary>
    public static Result<(CredentialAuth Auth, CredentialSecrets Secrets)> ReadUpdate(WireObject auth, CredentialAuth current, CredentialSecrets secrets)
    {
        var type = auth.RequiredString("type");
        switch (current)
        {
            case StaticBearerAuth when type == StaticBearerAuth.TypeName:
                return (current, secrets with { Token = auth.String("token", 16_384) ?? secrets.Token });
            case McpOAuthAuth oauth when type == McpOAuthAuth.TypeName:
                var next = oauth with { ExpiresAt = auth.Has("expires_at") ? auth.Time("expires_at") : oauth.ExpiresAt };
                var nextSecrets = secrets with { Token = auth.String("access_token", 16_384) ?? secrets.Token };
                if (auth.Object("refresh") is { } refresh)
                {
                    if (oauth.Refresh is not { } stored)
                    {
                        return LucidError.Invalid("auth.refresh", "This credential was created without refresh; create another credential to add it.");
                    }

                    var scope = refresh.Has("scope") ? refresh.String("scope", 4096) : stored.Scope;
                    next = next with { Refresh = stored with { Scope = string.IsNullOrEmpty(scope) ? null : scope } };
                    nextSecrets = nextSecrets with
                    {
                        RefreshToken = refresh.String("refresh_token", 16_384) ?? nextSecrets.RefreshToken,
                        ClientSecret = refresh.Object("token_endpoint_auth")?.String("client_secret", 4096) ?? nextSecrets.ClientSecret,
                    };
                }

                return (next, nextSecrets);
            case EnvironmentVariableAuth variable when type == EnvironmentVariableAuth.TypeName:
                var location = auth.Object("injection_location");
                return (
                    variable with
                    {
                        AllowedHosts = auth.Object("networking") is { } networking ? Networking(networking) : variable.AllowedHosts,
                        InHeaders = location?.Bool("header") ?? variable.InHeaders,
                        InBody = location?.Bool("body") ?? variable.InBody,
                    },
                    secrets with { Value = auth.String("secret_value", 65_536) ?? secrets.Value });
            default:
                return LucidError.Invalid("auth.type", $"auth.type must be the credential's own type; '{type}' is not.");
        }
    }

    private static IReadOnlyList<string>? Networking(WireObject networking) => networking.RequiredString("type") switch
    {
        "unrestricted" => null,
        "limited" => [.. networking.Array("allowed_hosts").Select(h => h.Item.ValueKind == System.Text.Json.JsonValueKind.String ? h.Item.GetString() ?? ""
            : throw RequestException.Invalid(h.Path, $"{h.Path} must be a string."))],
        var other => throw RequestException.Invalid(networking.PathOf("type"), $"{networking.PathOf("type")} must be limited or unrestricted; got '{other}'."),
    };

    private static TokenEndpointAuthMethod AuthMethod(WireObject auth) => auth.RequiredString("type") switch
    {
        "none" => TokenEndpointAuthMethod.None,
        "client_secret_basic" => TokenEndpointAuthMethod.ClientSecretBasic,
        "client_secret_post" => TokenEndpointAuthMethod.ClientSecretPost,
        var other => throw RequestException.Invalid(auth.PathOf("type"), $"{auth.PathOf("type")} must be none, client_secret_basic or client_secret_post; got '{other}'."),
    };

    private static string AuthMethodName(TokenEndpointAuthMethod method) => method switch
    {
        TokenEndpointAuthMethod.ClientSecretBasic => "client_secret_basic",
        TokenEndpointAuthMethod.ClientSecretPost => "client_secret_post",
        _ => "none",
    };
}
