namespace Lucid.Vaults;

/// <summary>How a client authenticates to an OAuth token endpoint.</summary>
public enum TokenEndpointAuthMethod
{
    /// <summary>No client authentication (<c>none</c>): the client ID goes in the form.</summary>
    None,

    /// <summary>HTTP Basic with the client ID and secret (<c>client_secret_basic</c>).</summary>
    ClientSecretBasic,

    /// <summary>The client ID and secret in the form (<c>client_secret_post</c>).</summary>
    ClientSecretPost,
}
