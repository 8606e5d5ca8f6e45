using Anthropic;
using Anthropic.Core;
using Lucid.Auth;
using Lucid.Providers;
using Lucid.Server;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Conformance.Tests;

/// <summary>
/// A real Lucid server on a loopback port over a SQLite file, whose agents' model (<c>anthropic/claude-fake</c>) is a
/// fake Anthropic Messages API; two API keys in two workspaces; and an official SDK client for each.
/// </summary>
public sealed class LucidServerFixture : IAsyncLifetime
{
    public const string Model = "anthropic/claude-fake";

    /// <summary>The model as the SDK's create-agent parameter.</summary>
    public static Anthropic.Models.Beta.Agents.Model ModelParam => new Anthropic.Models.Beta.Agents.BetaManagedAgentsModelConfigParams { ID = Model };

    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-conformance-").FullName;
    private WebApplication? _app;
    private SqliteStore? _store;

    public FakeAnthropicServer Upstream { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public string AlphaKey { get; private set; } = "";

    public string BetaKey { get; private set; } = "";

    public string DatabasePath => Path.Combine(_directory, "lucid.db");

    public AnthropicClient Alpha => Client(AlphaKey);

    public AnthropicClient Beta => Client(BetaKey);

    public AnthropicClient Client(string? key) => new(new ClientOptions { ApiKey = key, BaseUrl = BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        await Upstream.StartAsync();
        _store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);
        var keys = new ApiKeyService(_store);
        AlphaKey = (await keys.CreateAsync("alpha", "conformance", CancellationToken.None)).Value.Secret;
        BetaKey = (await keys.CreateAsync("beta", "conformance", CancellationToken.None)).Value.Secret;
        _app = LucidServer.Build(new LucidServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Store = _store,
            Models = new ModelResolver(new ProviderSettings { AnthropicApiKey = "sk-ant-fake", AnthropicBaseUrl = Upstream.BaseUrl, MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }),
            Engine = new Sessions.SessionEngineOptions { WorkspacesRoot = Path.Combine(_directory, "workspaces") },
            MaxRequestBodyBytes = 1024 * 1024,
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("The server has no address.");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Every row of every table, in a stable order: equal snapshots mean the store did not change.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "agents", "environments", "sessions", "events", "api_keys" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY 1, 2";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i)).Append('|');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerTestGroup : ICollectionFixture<LucidServerFixture>
{
    public const string Name = "server";
}
