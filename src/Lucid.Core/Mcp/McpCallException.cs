namespace Lucid.Mcp;

/// <summary>The server answered a call with a protocol error: the connection is fine, the call was refused.</summary>
public sealed class McpCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpCallException()
    {
    }

    /// <summary>Creates the exception with the server's message.</summary>
    public McpCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the server's message and the client library's exception.</summary>
    public McpCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
