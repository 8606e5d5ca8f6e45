using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lucid.Results;

namespace Lucid.Vaults;

/// <summary>
/// Exchanges an OAuth refresh token for a new access token at a credential's token endpoint (RFC 6749 §6), with the
/// client authentication the credential names. Every failure — an error answer, no answer in time, an answer without
/// an access token — is an error that says what the endpoint said, never a secret.
/// </summary>
public sealed class OAuthRefresher
{
    private static readonly HttpClient Shared = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the refresher; without <paramref name="http"/> it uses one shared client.</summary>
    public OAuthRefresher(TimeProvider? timeProvider = null, HttpClient? http = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _http = http ?? Shared;
    }

    /// <summary>How long the token endpoint may take to answer. Defaults to 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The new access token, its expiry (when the endpoint said) and the rotated refresh token (when it sent one).</summary>
    public async Task<Result<(CredentialSecrets Secrets, DateTimeOffset? ExpiresAt)>> RefreshAsync(OAuthRefresh refresh, CredentialSecrets secrets, CancellationToken cancellationToken)
    {
        var exchange = await ExchangeAsync(refresh, secrets, cancellationToken);
        return exchange.Refreshed is { } refreshed ? refreshed : Failed(exchange.Failure ?? "the token endpoint gave no access token");
    }

    /// <summary>
    /// Exchanges the refresh token, keeping the endpoint's answer when it refused (to show, scrubbed of secrets, in a
    /// credential validation) and whether it could be reached at all.
    /// </summary>
    public async Task<OAuthExchange> ExchangeAsync(OAuthRefresh refresh, CredentialSecrets secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        ArgumentNullException.ThrowIfNull(secrets);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "refresh_token"), new("refresh_token", secrets.RefreshToken ?? "") };
        using var request = new HttpRequestMessage(HttpMethod.Post, refresh.TokenEndpoint);
        switch (refresh.AuthMethod)
        {
            case TokenEndpointAuthMethod.ClientSecretBasic:
                var pair = $"{Uri.EscapeDataString(refresh.ClientId)}:{Uri.EscapeDataString(secrets.ClientSecret ?? "")}";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                break;
            case TokenEndpointAuthMethod.ClientSecretPost:
                form.Add(new("client_id", refresh.ClientId));
                form.Add(new("client_secret", secrets.ClientSecret ?? ""));
                break;
            default:
                form.Add(new("client_id", refresh.ClientId));
                break;
        }

        if (!string.IsNullOrEmpty(refresh.Scope))
        {
            form.Add(new("scope", refresh.Scope));
        }

        if (!string.IsNullOrEmpty(refresh.Resource))
        {
            form.Add(new("resource", refresh.Resource));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, either.Token);
            var body = await response.Content.ReadAsStringAsync(either.Token);
            var json = Parse(body);
            var answer = CapturedResponse.Of(response, body, secrets);
            if (!response.IsSuccessStatusCode)
            {
                var reason = json is { } error && error.TryGetProperty("error", out var code) ? $": {code}{(error.TryGetProperty("error_description", out var d) ? $" ({d})" : "")}" : "";
                return new OAuthExchange { Failure = $"the token endpoint answered {(int)response.StatusCode}{reason}", Response = answer };
            }

            if (json is not { } ok || !ok.TryGetProperty("access_token", out var access) || access.ValueKind != JsonValueKind.String || access.GetString() is not { Length: > 0 } token)
            {
                return new OAuthExchange { Failure = "the token endpoint's answer has no access_token", Response = answer with { Body = "" } };
            }

            DateTimeOffset? expiresAt = ok.TryGetProperty("expires_in", out var seconds) && seconds.TryGetDouble(out var s) ? _time.GetUtcNow().AddSeconds(s) : null;
            var rotated = ok.TryGetProperty("refresh_token", out var next) && next.GetString() is { Length: > 0 } nextToken ? nextToken : secrets.RefreshToken;
            return new OAuthExchange { Refreshed = (secrets with { Token = token, RefreshToken = rotated }, expiresAt) };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new OAuthExchange
            {
                Failure = timeout.IsCancellationRequested ? $"the token endpoint did not answer within {Timeout.TotalSeconds:0} s" : $"the token endpoint could not be reached ({ex.Message})",
                Unreachable = true,
            };
        }
    }

    private static LucidError Failed(string why) => LucidError.Invalid("auth.refresh", $"The access token could not be refreshed: {why}.");

    private static JsonElement? Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
