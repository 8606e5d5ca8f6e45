namespace Lucid.Vaults;

/// <summary>The verdict of a credential validation.</summary>
public enum CredentialValidationStatus
{
    /// <summary>The MCP server accepted the access token.</summary>
    Valid,

    /// <summary>The server refused the access token (or there is none), and a refresh, if tried, did not recover it.</summary>
    Invalid,

    /// <summary>The probe could not tell: the server could not be reached or answered an error, or a refresh succeeded and the new token was not tried.</summary>
    Unknown,
}
