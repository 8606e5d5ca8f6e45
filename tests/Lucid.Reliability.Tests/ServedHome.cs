using Lucid.Testing.Providers;
using Lucid.Testing.Server;
using Microsoft.Data.Sqlite;

namespace Lucid.Reliability.Tests;

/// <summary>
/// A data directory for the <c>lucid serve</c> processes a test starts, kills and starts again on one port, with a fake
/// OpenAI upstream they all use and the API key the first one printed.
/// </summary>
internal sealed class ServedHome(string prefix) : IAsyncDisposable
{
    /// <summary>The data directory (<c>LUCID_HOME</c>).</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The model provider every server uses; script it before starting one.</summary>
    public FakeOpenAIServer Upstream { get; } = new();

    /// <summary>The port every server listens on.</summary>
    public int Port { get; } = FreePorts.Next();

    /// <summary>The API key the first server printed.</summary>
    public string Key { get; private set; } = "";

    /// <summary>Starts a server on the data directory; the first one's key is kept.</summary>
    public async Task<ServerProcess> StartServerAsync(params string[] arguments)
    {
        var server = await ServerProcess.StartAsync(Directory, Port, new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-local",
            ["OPENAI_BASE_URL"] = Upstream.ApiBaseUrl,
        }, arguments);
        Key = server.PrintedKey ?? Key;
        return server;
    }

    /// <summary>A client of the server's API with the key.</summary>
    public HttpClient Http() => ServerProcess.ApiClient(Port, Key);

    public async ValueTask DisposeAsync()
    {
        await Upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
