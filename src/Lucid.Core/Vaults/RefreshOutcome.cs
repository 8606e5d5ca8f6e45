namespace Lucid.Vaults;

/// <summary>What a refresh tried during a credential validation came to.</summary>
public enum RefreshOutcome
{
    /// <summary>The token endpoint gave a new access token, now stored.</summary>
    Succeeded,

    /// <summary>The token endpoint refused.</summary>
    Failed,

    /// <summary>The token endpoint could not be reached.</summary>
    ConnectError,

    /// <summary>The credential has no refresh token, so none was tried.</summary>
    NoRefreshToken,
}
