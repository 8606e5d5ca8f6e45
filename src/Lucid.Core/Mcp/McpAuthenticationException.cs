using System.Net;

namespace Lucid.Mcp;

/// <summary>A session's credential for an MCP server could not be used (its token expired and could not be refreshed).</summary>
public sealed class McpAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpAuthenticationException()
    {
    }

    /// <summary>Creates the exception with why.</summary>
    public McpAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with why and the cause.</summary>
    public McpAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) says authentication failed: this, or an HTTP 401 or 403.</summary>
    public static bool Describes(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is McpAuthenticationException or HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden })
            {
                return true;
            }
        }

        return false;
    }
}
