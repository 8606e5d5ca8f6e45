using System.CommandLine;
using System.Net;
using Lucid.Auth;
using Lucid.Cluster;
using Lucid.Dreams;
using Lucid.Providers;
using Lucid.Sandboxing;
using Lucid.Server;
using Lucid.Server.Telemetry;
using Lucid.Storage;
using Lucid.Storage.Postgres;
using Lucid.Webhooks;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid serve</c>: the Managed Agents API over HTTP, on the local SQLite store or a PostgreSQL database (<c>--database</c>).</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:7420";

    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls") { Description = $"Where to listen (semicolon-separated URLs). Default: {DefaultUrls}.", DefaultValueFactory = _ => DefaultUrls };
        var defaults = new Sessions.SessionEngineOptions();
        var maxThreads = new Option<int>("--max-threads")
        {
            Description = $"The most live threads one session may have (at every depth). Default: {defaults.MaxLiveThreads}.",
            DefaultValueFactory = _ => defaults.MaxLiveThreads,
        };
        var maxDepth = new Option<int>("--max-thread-depth")
        {
            Description = $"How deep threads may nest. Default: {defaults.MaxThreadDepth}.",
            DefaultValueFactory = _ => defaults.MaxThreadDepth,
        };
        var maxRounds = new Option<int>("--max-tool-use-rounds")
        {
            Description = $"The most tool-use rounds (a model response that calls tools, plus running them) one turn may make. Default: {defaults.MaxToolUseRoundsPerTurn}.",
            DefaultValueFactory = _ => defaults.MaxToolUseRoundsPerTurn,
        };
        var maxFileBytes = new Option<long>("--max-file-bytes")
        {
            Description = $"The largest file the Files API takes (uploads and session outputs), in bytes. Default: {defaults.Files.MaxFileBytes} (500 MB).",
            DefaultValueFactory = _ => defaults.Files.MaxFileBytes,
        };
        var reviewerModel = new Option<string?>("--permission-reviewer-model")
        {
            Description = "The model that reviews tool calls under the auto permission policy. Default: each agent's own model.",
        };
        var limits = new ApiRateLimit();
        var rate = new Option<int>("--rate-limit")
        {
            Description = $"Requests per second each API key may make, sustained; 0 turns the limit off. Default: {limits.RequestsPerPeriod}.",
            DefaultValueFactory = _ => limits.RequestsPerPeriod,
        };
        var burst = new Option<int>("--rate-limit-burst")
        {
            Description = $"Requests each API key may make at once after a quiet spell. Default: {limits.Burst}.",
            DefaultValueFactory = _ => limits.Burst,
        };
        maxThreads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--max-threads must be 0 or more."); } });
        maxDepth.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--max-thread-depth must be 0 or more."); } });
        maxRounds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--max-tool-use-rounds must be 1 or more."); } });
        maxFileBytes.Validators.Add(r => { if (r.GetValueOrDefault<long>() < 1) { r.AddError("--max-file-bytes must be 1 or more."); } });
        rate.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--rate-limit must be 0 or more."); } });
        burst.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--rate-limit-burst must be 1 or more."); } });
        var pipIndex = new Option<Uri?>("--pip-index-url") { Description = "The Python package index (PEP 503 simple index) environments' pip packages are installed from. Default: PyPI." };
        var npmRegistry = new Option<Uri?>("--npm-registry") { Description = "The npm registry environments' npm packages are installed from. Default: registry.npmjs.org." };
        var gemSource = new Option<Uri?>("--gem-source") { Description = "The gem source (a RubyGems-compatible server) environments' gem packages are installed from. Default: rubygems.org." };
        var goProxy = new Option<Uri?>("--go-proxy") { Description = "The Go module proxy environments' go packages are installed from, trusted without the checksum database. Default: proxy.golang.org." };
        var cargoRegistry = new Option<Uri?>("--cargo-registry") { Description = "The crate registry index (git, or sparse+https://) that replaces crates.io for environments' cargo packages. Default: crates.io." };
        foreach (var registry in new[] { pipIndex, npmRegistry, gemSource, goProxy, cargoRegistry })
        {
            var schemes = registry == cargoRegistry ? new[] { "http", "https", "sparse+http", "sparse+https" } : ["http", "https"];
            registry.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<Uri?>() is { } uri && (!uri.IsAbsoluteUri || !schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)))
                {
                    r.AddError($"{registry.Name} must be an absolute {string.Join(" or ", schemes)} URL.");
                }
            });
        }

        var database = new Option<string?>("--database")
        {
            Description = "Keep everything in this PostgreSQL database (an Npgsql connection string, such as \"Host=db;Database=lucid;Username=lucid\") instead of the data directory's SQLite file. Default: LUCID_DATABASE, else SQLite.",
        };
        var nodePort = new Option<int>("--node-port")
        {
            Description = $"On PostgreSQL: the port other nodes of the cluster reach this one on. Default: {ClusterSettings.DefaultNodePort}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultNodePort,
        };
        var gatewayPort = new Option<int>("--gateway-port")
        {
            Description = $"On PostgreSQL: the cluster's client gateway port (Orleans opens it; Lucid connects no clients yet). Default: {ClusterSettings.DefaultGatewayPort}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultGatewayPort,
        };
        foreach (var port in new[] { nodePort, gatewayPort })
        {
            port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 65535) { r.AddError($"{port.Name} must be a port number, 1 to 65535."); } });
        }

        var nodeAddress = new Option<string?>("--node-address")
        {
            Description = "On PostgreSQL: the IP address this node listens on for the cluster and tells the other nodes. Default: this machine's first non-loopback address.",
        };
        nodeAddress.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } text && !IPAddress.TryParse(text, out _)) { r.AddError("--node-address must be an IP address, such as 10.0.0.5."); } });
        var clusterId = new Option<string>("--cluster-id")
        {
            Description = $"On PostgreSQL: the cluster to join; the nodes on one database with the same ID form one cluster. Default: {ClusterSettings.DefaultClusterId}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultClusterId,
        };
        clusterId.Validators.Add(r => { if (r.GetValueOrDefault<string>() is not { Length: > 0 and <= 150 }) { r.AddError("--cluster-id must be 1 to 150 characters."); } });
        var probeTimeout = new Option<double>("--node-probe-timeout")
        {
            Description = $"On PostgreSQL: seconds a node waits for another to answer a liveness probe; probes go out about this often. Default: {ClusterSettings.DefaultProbeTimeout.TotalSeconds}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultProbeTimeout.TotalSeconds,
        };
        var missedProbes = new Option<int>("--node-missed-probes")
        {
            Description = $"On PostgreSQL: how many probes in a row a node may miss before the others suspect it and, once two agree, declare it dead and take over its sessions. Default: {ClusterSettings.DefaultMissedProbes}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultMissedProbes,
        };
        var drainTimeout = new Option<double>("--drain-timeout")
        {
            Description = $"On PostgreSQL: seconds a graceful stop waits for the turns running on this node to finish before it cuts them off (the other nodes then reschedule them). Default: {ClusterSettings.DefaultDrainTimeout.TotalSeconds}.",
            DefaultValueFactory = _ => ClusterSettings.DefaultDrainTimeout.TotalSeconds,
        };
        probeTimeout.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 0.1 and <= 600)) { r.AddError("--node-probe-timeout must be 0.1 to 600 seconds."); } });
        missedProbes.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) { r.AddError("--node-missed-probes must be 1 to 100."); } });
        drainTimeout.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 0 and <= 3600)) { r.AddError("--drain-timeout must be 0 to 3600 seconds."); } });
        var privateWebhooks = new Option<bool>("--webhooks-allow-private")
        {
            Description = "Let webhook endpoints use plain http and loopback or private addresses. Off by default: endpoints must be https URLs of public addresses (no SSRF into the server's network).",
        };
        var command = new Command("serve", "Serve the Managed Agents API (and a status page) on the local store; the official Anthropic SDK works against it.") { urls, database, nodePort, gatewayPort, nodeAddress, clusterId, probeTimeout, missedProbes, drainTimeout, maxThreads, maxDepth, maxRounds, reviewerModel, maxFileBytes, rate, burst, pipIndex, npmRegistry, gemSource, goProxy, cargoRegistry, privateWebhooks };
        var sandbox = new SandboxSettings();
        sandbox.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (options, tools) = sandbox.Read(parse);
            var checkedSandbox = await SandboxSettings.CheckAsync(options, fallBackToHost: false, context.Console, ct);
            return await RunAsync(
                context,
                parse.GetValue(urls) ?? DefaultUrls,
                parse.GetValue(database),
                new Sessions.SessionEngineOptions
                {
                    WorkDirectoriesRoot = context.Home.WorkDirectoriesRoot,
                    VaultKey = Vaults.SecretBox.FromKeyFile(context.Home.VaultKeyPath),
                    MaxLiveThreads = parse.GetValue(maxThreads),
                    MaxThreadDepth = parse.GetValue(maxDepth),
                    MaxToolUseRoundsPerTurn = parse.GetValue(maxRounds),
                    PermissionReviewerModel = string.IsNullOrWhiteSpace(parse.GetValue(reviewerModel)) ? null : parse.GetValue(reviewerModel),
                    Sandbox = checkedSandbox,
                    ToolLimits = tools,
                    Files = new Files.FileStoreOptions { Root = context.Home.FilesRoot, MaxFileBytes = parse.GetValue(maxFileBytes) },
                    Packages = new PackageOptions { Root = context.Home.PackagesRoot, PipIndexUrl = parse.GetValue(pipIndex), NpmRegistry = parse.GetValue(npmRegistry),
                        GemSource = parse.GetValue(gemSource), GoProxy = parse.GetValue(goProxy), CargoRegistry = parse.GetValue(cargoRegistry),
                    },
                    Telemetry = new Telemetry.TelemetryOptions { IncludeContent = TelemetryExport.CapturesContent(context.Environment) },
                },
                parse.GetValue(rate) is var perSecond and > 0 ? new ApiRateLimit { RequestsPerPeriod = perSecond, Burst = parse.GetValue(burst), Period = TimeSpan.FromSeconds(1) } : null,
                new WebhookOptions { AllowPrivateAddresses = parse.GetValue(privateWebhooks) },
                new ClusterSettings
                {
                    NodePort = parse.GetValue(nodePort),
                    GatewayPort = parse.GetValue(gatewayPort),
                    NodeAddress = parse.GetValue(nodeAddress) is { } address ? IPAddress.Parse(address) : null,
                    ClusterId = parse.GetValue(clusterId) ?? ClusterSettings.DefaultClusterId,
                    ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(probeTimeout)),
                    MissedProbes = parse.GetValue(missedProbes),
                    DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drainTimeout)),
                },
                ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string urls, string? database, Sessions.SessionEngineOptions engine, ApiRateLimit? rateLimit, WebhookOptions webhooks, ClusterSettings cluster, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var setup = LocalServices.ModelSetup(context);
        if (!setup.IsSuccess)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(setup.Error.Message)}");
            return 2;
        }

        using var local = setup.Value;
        var export = TelemetryExport.FromEnvironment(context.Environment);

        ILucidStore store;
        try
        {
            store = await LocalServices.OpenStoreAsync(context, cancellationToken, database);
        }
        catch (Exception ex) when (ex is ArgumentException or StoreUnavailableException)
        {
            // The connection string is a credential: the message names what failed, never the string itself.
            console.MarkupLine($"[red]error:[/] the database of --database (or LUCID_DATABASE) cannot be used: {Markup.Escape(ex.Message)}");
            return 2;
        }

        await using var _ = store;
        // On PostgreSQL every node is a silo of one cluster, whose membership is in the same database.
        var node = store is PostgresStore && (database ?? context.Database) is { } connectionString
            ? new OrleansCluster(connectionString, cluster)
            : null;
        var keys = new ApiKeyService(store);
        if (!await keys.AnyAsync(cancellationToken))
        {
            var created = await keys.CreateAsync(Workspaces.Default, "first key", cancellationToken);
            if (created.IsSuccess)
            {
                console.MarkupLine($"Created the first API key (workspace [bold]{Workspaces.Default}[/]). It is shown only this once:");
                console.MarkupLine($"  [bold yellow]{created.Value.Secret}[/]");
            }
        }

        await using var app = LucidServer.Build(new LucidServerOptions
        {
            Urls = urls,
            Store = store,
            Models = new ModelResolver(local.Providers),
            Engine = engine with { Catalog = local.Catalog },
            RateLimit = rateLimit,
            Webhooks = webhooks,
            Dreams = new DreamOptions { KnownSecrets = local.Providers.KnownSecrets() },
            Telemetry = export,
            Cluster = node,
            ConsoleKeys = OperatingSystem.IsWindows() ? Directory.CreateDirectory(context.Home.ConsoleKeysPath) : Directory.CreateDirectory(context.Home.ConsoleKeysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
        });
        await app.StartAsync(cancellationToken);
        if (export is not null)
        {
            console.MarkupLine($"Exporting {(export.Traces && export.Metrics ? "traces and metrics" : export.Traces ? "traces" : "metrics")} over OTLP (OTEL_EXPORTER_OTLP_*){(engine.Telemetry.IncludeContent ? ", with message content" : "")}");
        }

        if (store is PostgresStore postgres)
        {
            console.MarkupLine($"Store: PostgreSQL database {Markup.Escape(postgres.Location)} · node of cluster [bold]{Markup.Escape(cluster.ClusterId)}[/] on port {cluster.NodePort}");
        }

        console.MarkupLine($"Lucid is serving on [link]{Markup.Escape(string.Join(", ", app.Urls))}[/] · data in {Markup.Escape(context.Home.Directory)} · Ctrl+C stops");
        console.MarkupLine($"Web console: [link]{Markup.Escape(app.Urls.First().TrimEnd('/'))}/console[/] (sign in with an API key)");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
