using Anthropic;
using Anthropic.Core;
using Lucid.Testing.Providers;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;

namespace Lucid.Conformance.Tests;

/// <summary>A test server on PostgreSQL (a database of the test process's throwaway server), and an official SDK client for it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private LucidTestServer? _server;

    private LucidTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public FakeAnthropicServer Upstream => Server.Upstream;

    /// <summary>The server's database.</summary>
    public string Database => Server.Database ?? "";

    public AnthropicClient Alpha => new(new ClientOptions { ApiKey = Server.AlphaKey, BaseUrl = Server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        _server = new LucidTestServer { Database = await (await PostgresServer.Shared).CreateDatabaseAsync() };
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerTestGroup : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres server";
}
