namespace Lucid.Providers;

/// <summary>The Ollama server's address as <c>OLLAMA_HOST</c> gives it: a URL, or a bare <c>host:port</c> meaning http.</summary>
internal static class OllamaAddress
{
    /// <summary>The server's base address, or null when <paramref name="host"/> is not a valid address.</summary>
    public static Uri? From(string host)
    {
        var url = host.Contains("://", StringComparison.Ordinal) ? host : "http://" + host;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
    }
}
