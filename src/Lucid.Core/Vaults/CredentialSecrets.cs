namespace Lucid.Vaults;

/// <summary>The secret parts of a credential, sealed together; never returned by the API, never logged.</summary>
public sealed record CredentialSecrets
{
    /// <summary>The bearer token, or the OAuth access token.</summary>
    public string? Token { get; init; }

    /// <summary>The OAuth refresh token.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The OAuth client secret.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>An environment variable's value.</summary>
    public string? Value { get; init; }

    /// <summary>Every secret value it holds.</summary>
    public IEnumerable<string> Values() => new[] { Token, RefreshToken, ClientSecret, Value }.OfType<string>().Where(v => v.Length > 0);

    /// <summary>The kinds only, so that logging the record never logs a secret.</summary>
    public override string ToString() => "CredentialSecrets { sealed }";
}
