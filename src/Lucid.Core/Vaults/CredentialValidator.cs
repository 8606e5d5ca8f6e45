using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Lucid.Results;

namespace Lucid.Vaults;

/// <summary>
/// Probes an <c>mcp_oauth</c> credential against its MCP server (<c>mcp_oauth_validate</c>): an MCP <c>initialize</c>
/// with its access token; when the server refuses it (401 or 403) and the credential can be refreshed, one refresh at
/// its token endpoint, whose new token is stored but not tried (the verdict is then <c>unknown</c>, as the API says).
/// Answers shown in the result have the credential's secrets replaced.
/// </summary>
public sealed class CredentialValidator
{
    private const string ProbedMethod = "initialize";
    private static readonly HttpClient Shared = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly CredentialService _credentials;
    private readonly VaultParts _parts;
    private readonly HttpClient _http;

    /// <summary>Creates the validator; without <paramref name="http"/> it uses one shared client.</summary>
    public CredentialValidator(CredentialService credentials, VaultParts parts, HttpClient? http = null)
    {
        _credentials = credentials;
        _parts = parts;
        _http = http ?? Shared;
    }

    /// <summary>How long the MCP server may take to answer the probe. Defaults to 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Validates credential <paramref name="id"/> of the workspace's vault <paramref name="vaultId"/>.</summary>
    public async Task<Result<CredentialValidation>> ValidateAsync(string workspaceId, string vaultId, string id, CancellationToken cancellationToken)
    {
        var found = await _credentials.GetAsync(workspaceId, vaultId, id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var credential = found.Value;
        if (credential.Auth is not McpOAuthAuth oauth)
        {
            return LucidError.Invalid("credential_id", $"Credential '{id}' is not an mcp_oauth credential: only those can be validated.");
        }

        if (credential.ArchivedAt is not null)
        {
            return LucidError.Invalid("credential_id", $"Credential '{id}' is archived: it is never used, so there is nothing to validate.");
        }

        var secrets = _parts.Box.Open(credential.SealedSecrets, credential.Id);
        var canRefresh = oauth.Refresh is not null && !string.IsNullOrEmpty(secrets.RefreshToken);
        CredentialValidation Verdict(CredentialValidationStatus status, McpProbeFailure? probe = null, RefreshAttempt? refresh = null) => new()
        {
            CredentialId = credential.Id,
            VaultId = credential.VaultId,
            HasRefreshToken = canRefresh,
            Status = status,
            McpProbe = probe,
            Refresh = refresh,
            ValidatedAt = _parts.Time.GetUtcNow(),
        };

        if (string.IsNullOrEmpty(secrets.Token))
        {
            return Verdict(CredentialValidationStatus.Invalid);
        }

        var (failure, refused) = await ProbeAsync(oauth.ServerUrl, secrets, cancellationToken);
        if (failure is null)
        {
            return Verdict(CredentialValidationStatus.Valid);
        }

        if (!refused)
        {
            return Verdict(CredentialValidationStatus.Unknown, failure);
        }

        if (!canRefresh)
        {
            return Verdict(CredentialValidationStatus.Invalid, failure, new RefreshAttempt(RefreshOutcome.NoRefreshToken, null));
        }

        var refresh = await RefreshAsync(credential.Id, cancellationToken);
        return Verdict(refresh.Outcome == RefreshOutcome.Failed ? CredentialValidationStatus.Invalid : CredentialValidationStatus.Unknown, failure, refresh);
    }

    // An MCP initialize with the access token: no failure when the server accepts it; refused when it answers 401 or 403.
    private async Task<(McpProbeFailure? Failure, bool Refused)> ProbeAsync(string serverUrl, CredentialSecrets secrets, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, serverUrl)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"lucid-credential-validation","version":"1.0.0"}}}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secrets.Token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var timeout = new CancellationTokenSource(Timeout, _parts.Time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, either.Token);
            if (response.IsSuccessStatusCode)
            {
                await EndSessionAsync(serverUrl, secrets, response, either.Token);
                return (null, false);
            }

            var body = await response.Content.ReadAsStringAsync(either.Token);
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            return (new McpProbeFailure(ProbedMethod, CapturedResponse.Of(response, body, secrets)), refused);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (new McpProbeFailure(ProbedMethod, null), false);
        }
    }

    // A server that opened an MCP session for the probe is told it is over; whether it listens changes nothing.
    private async Task EndSessionAsync(string serverUrl, CredentialSecrets secrets, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.Headers.TryGetValues("Mcp-Session-Id", out var ids) || ids.FirstOrDefault() is not { Length: > 0 } sessionId)
        {
            return;
        }

        using var end = new HttpRequestMessage(HttpMethod.Delete, serverUrl);
        end.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secrets.Token);
        end.Headers.Add("Mcp-Session-Id", sessionId);
        try
        {
            using var ended = await _http.SendAsync(end, cancellationToken);
        }
        catch (HttpRequestException)
        {
        }
    }

    // One refresh under the credential's gate, on its stored secrets as they are now; a new token is stored.
    private async Task<RefreshAttempt> RefreshAsync(string credentialId, CancellationToken cancellationToken)
    {
        var gate = RefreshGates.For(credentialId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await _parts.Store.GetCredentialAsync(credentialId, cancellationToken) is not { ArchivedAt: null, Auth: McpOAuthAuth { Refresh: { } refresh } oauth } current)
            {
                return new RefreshAttempt(RefreshOutcome.NoRefreshToken, null);
            }

            var exchange = await _parts.Refresher.ExchangeAsync(refresh, _parts.Box.Open(current.SealedSecrets, current.Id), cancellationToken);
            if (exchange.Refreshed is { } refreshed)
            {
                var (next, expiresAt) = refreshed;
                var updated = current with { Auth = oauth with { ExpiresAt = expiresAt }, SealedSecrets = _parts.Box.Seal(next, current.Id), UpdatedAt = _parts.Time.GetUtcNow() };
                await _parts.Store.UpdateCredentialAsync(updated, CancellationToken.None);
                return new RefreshAttempt(RefreshOutcome.Succeeded, null);
            }

            if (exchange.Unreachable)
            {
                return new RefreshAttempt(RefreshOutcome.ConnectError, null);
            }

            await _parts.Store.RecordRefreshFailureAsync(current, _parts.Time.GetUtcNow(), CancellationToken.None);
            return new RefreshAttempt(RefreshOutcome.Failed, exchange.Response);
        }
        finally
        {
            gate.Release();
        }
    }
}
