using Lucid.Agents;
using Lucid.Environments;
using Lucid.Models;
using Lucid.Providers;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Storage.Postgres;
using Lucid.Storage.Sqlite;

namespace Lucid.Cli;

/// <summary>The local store and engine a command works with, opened from the data directory.</summary>
internal sealed class LocalServices : IAsyncDisposable
{
    private LocalServices(ILucidStore store, SessionEngine engine)
    {
        Store = store;
        Engine = engine;
        Agents = new AgentService(store, store);
        Environments = new EnvironmentService(store);
    }

    public ILucidStore Store { get; }

    public SessionEngine Engine { get; }

    public AgentService Agents { get; }

    public EnvironmentService Environments { get; }

    /// <summary>Opens the store under the data directory, creating it on first use; the engine runs with <paramref name="options"/> (or the defaults) over the data directory's work directories.</summary>
    public static async Task<LocalServices> OpenAsync(CliContext context, IChatClientResolver models, SessionEngineOptions? options, CancellationToken cancellationToken)
    {
        var store = await OpenStoreAsync(context, cancellationToken);
        var settings = options ?? new SessionEngineOptions();
        var engine = new SessionEngine(
            store,
            models,
            settings with
            {
                WorkDirectoriesRoot = context.Home.WorkDirectoriesRoot,
                Packages = settings.Packages with { Root = context.Home.PackagesRoot },
                Files = settings.Files with { Root = context.Home.FilesRoot },
                VaultKey = Vaults.SecretBox.FromKeyFile(context.Home.VaultKeyPath),
            },
            mcpConnector: new Mcp.Client.SdkMcpConnector());
        return new LocalServices(store, engine);
    }

    /// <summary>
    /// Opens just the store: the PostgreSQL database <paramref name="database"/> (an Npgsql connection string) names, else
    /// <c>LUCID_DATABASE</c>'s (which keeps the blobs of files and skills too, uploads spooled under the data directory's
    /// <c>files/incoming</c>), else the SQLite file under the data directory, creating it on first use.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is not one Npgsql reads.</exception>
    /// <exception cref="StoreUnavailableException">The database cannot be reached.</exception>
    public static async Task<ILucidStore> OpenStoreAsync(CliContext context, CancellationToken cancellationToken, string? database = null)
    {
        if ((database ?? context.Database) is { } connectionString)
        {
            return await PostgresStore.OpenAsync(connectionString, new PostgresStoreOptions { BlobSpoolDirectory = Path.Combine(context.Home.FilesRoot, "incoming") }, cancellationToken);
        }

        Directory.CreateDirectory(context.Home.Directory);
        return await SqliteStore.OpenAsync(context.Home.DatabasePath, cancellationToken);
    }

    /// <summary>The model resolver configured from the environment and the config file, or what is wrong with the config file.</summary>
    public static Result<ModelResolver> Models(CliContext context)
    {
        var settings = Providers(context);
        return settings.IsSuccess ? new ModelResolver(settings.Value) : settings.Error;
    }

    /// <summary>
    /// The providers' settings and the model catalog (the built-in table, the config file's <c>models</c> overrides, and
    /// Ollama's windows for the models neither knows); or what is wrong with the config file.
    /// </summary>
    public static Result<LocalModels> ModelSetup(CliContext context)
    {
        var providers = Providers(context);
        if (!providers.IsSuccess)
        {
            return providers.Error;
        }

        var windows = new OllamaModelWindows(providers.Value);
        var catalog = Catalog(context, windows);
        if (!catalog.IsSuccess)
        {
            windows.Dispose();
            return catalog.Error;
        }

        return new LocalModels(providers.Value, catalog.Value, windows);
    }

    /// <summary>
    /// The model catalog: the built-in table, the config file's <c>models</c> overrides, and <paramref name="windows"/> for
    /// the windows of models neither knows (Ollama's); or what is wrong with the overrides.
    /// </summary>
    public static Result<ModelCatalog> Catalog(CliContext context, IModelWindowSource? windows)
    {
        var overrides = ModelOverrides.Read(context.Home.ConfigPath);
        return overrides.IsSuccess ? new ModelCatalog(overrides.Value, windows) : overrides.Error;
    }

    /// <summary>The providers' settings from the environment and the config file, or what is wrong with the config file.</summary>
    public static Result<ProviderSettings> Providers(CliContext context) =>
        ProviderSettings.FromEnvironment(context.Environment, context.Home.ConfigPath);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Store.DisposeAsync();
    }
}

/// <summary>The providers' settings and the model catalog a command runs with; disposing it stops the Ollama look-ups.</summary>
internal sealed record LocalModels(ProviderSettings Providers, ModelCatalog Catalog, OllamaModelWindows Windows) : IDisposable
{
    public void Dispose() => Windows.Dispose();
}
