using Anthropic;
using Anthropic.Core;
using Lucid.Testing.Providers;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>The shared test server, and official SDK clients for its two workspaces.</summary>
public sealed class LucidServerFixture : IAsyncLifetime
{
    public const string Model = LucidTestServer.Model;

    private readonly LucidTestServer _server = new();

    /// <summary>The model as the SDK's create-agent parameter.</summary>
    public static Anthropic.Models.Beta.Agents.Model ModelParam => new Anthropic.Models.Beta.Agents.BetaManagedAgentsModelConfigParams { ID = Model };

    public FakeAnthropicServer Upstream => _server.Upstream;

    public Lucid.Testing.Models.ScriptedModels Scripted => _server.Scripted;

    public string BaseUrl => _server.BaseUrl;

    /// <summary>The parent of the sessions' work directories (each named after its session's ID).</summary>
    public string WorkDirectoriesRoot => _server.WorkDirectoriesRoot;

    public string AlphaKey => _server.AlphaKey;

    public string BetaKey => _server.BetaKey;

    public AnthropicClient Alpha => Client(AlphaKey);

    public AnthropicClient Beta => Client(BetaKey);

    public AnthropicClient Client(string? key) => new(new ClientOptions { ApiKey = key, BaseUrl = BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public HttpClient Http(string? key) => _server.Http(key);

    public Task<string> SnapshotAsync() => _server.SnapshotAsync();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServerTestGroup : ICollectionFixture<LucidServerFixture>
{
    public const string Name = "server";
}
