using Lucid.Agents;
using Lucid.Auth;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Dreams.Validation;
using Lucid.Environments;
using Lucid.Evals;
using Lucid.Events;
using Lucid.Server.Agents;
using Lucid.Server.Cluster;
using Lucid.Server.Health;
using Lucid.Deployments;
using Lucid.Server.Deployments;
using Lucid.Server.Webhooks;
using Lucid.Server.Learning;
using Lucid.Learning;
using Lucid.Webhooks;
using Lucid.Server.Dreams;
using Lucid.Server.Environments;
using Lucid.Server.Evals;
using Lucid.Server.Files;
using Lucid.Server.Skills;
using Lucid.Importing;
using Lucid.Memory;
using Lucid.Server.Http;
using Lucid.Server.Importing;
using Lucid.Server.Memory;
using Lucid.Server.Sessions;
using Lucid.Server.Telemetry;
using Lucid.Server.Threads;
using Lucid.Server.Vaults;
using Lucid.Server.WebConsole;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Lucid.Server;

/// <summary>Builds Lucid's HTTP server: the Managed Agents API under <c>/v1</c>, the web console under <c>/console</c>, and a status page at <c>/</c>.</summary>
public static class LucidServer
{
    /// <summary>Builds the server application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    public static WebApplication Build(LucidServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // The console's cookie keys are stored unencrypted on purpose (docs/security.md): no warning about it on each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        var services = builder.Services;
        services.AddSingleton(options.Store);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(options.Models);
        services.AddSingleton(sp => new SessionEngine(
            options.Store, options.Models, options.Engine, options.TimeProvider, options.Ids, sp.GetRequiredService<ILoggerFactory>(),
            new Mcp.Client.SdkMcpConnector(options.TimeProvider, sp.GetRequiredService<ILoggerFactory>()),
            placement: sp.GetService<ISessionPlacement>(),
            remotePreviews: sp.GetService<IRemotePreviews>()));
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Sessions);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Threads);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Events);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Agents);
        services.AddSingleton(new AgentService(options.Store, options.Store, options.TimeProvider, options.Ids));
        services.AddSingleton(new EnvironmentService(options.Store, options.TimeProvider, options.Ids));
        services.AddSingleton(new ApiKeyService(options.Store, options.TimeProvider, options.Ids));
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Memory);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Vaults);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Files);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Skills);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Resources);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().Credentials);
        services.AddSingleton(sp => sp.GetRequiredService<SessionEngine>().CredentialValidator);
        services.AddSingleton(sp => new TranscriptImporter(options.Store, sp.GetRequiredService<EventHub>(), new ImportOptions { WorkDirectoriesRoot = options.Engine.WorkDirectoriesRoot }, options.TimeProvider, options.Ids));
        services.AddSingleton<ApiFilter>();
        if (options.RateLimit is { } rateLimit)
        {
            services.AddApiRateLimiting(rateLimit);
        }

        services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<SessionEngine>();
            return new DreamPipeline(options.Store, engine.Memory, engine.Events, options.Models, options.Dreams with { VaultKey = options.Engine.VaultKey }, options.Engine.WorkDirectoriesRoot, options.TimeProvider, options.Ids)
            {
                Replay = new LessonReplay(options.Store, engine.Memory, sp.GetRequiredService<EvalRunner>(), options.TimeProvider, options.Ids),
            };
        });
        services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<SessionEngine>();
            return new DreamReviewService(options.Store, engine.Memory, engine.Events, options.Dreams with { VaultKey = options.Engine.VaultKey }, options.TimeProvider, engine.Skills);
        });
        services.AddSingleton(sp => new DreamRunner(sp.GetRequiredService<DreamPipeline>(), options.Store, options.TimeProvider, sp.GetRequiredService<ILogger<DreamRunner>>()));
        services.AddSingleton(sp =>
        {
            var owners = sp.GetRequiredService<IDreamOwners>();
            return new DreamService(options.Store, sp.GetRequiredService<MemoryService>(), options.Models, options.TimeProvider, options.Ids)
            {
                Created = dream => owners.Start(dream.Id),
                Canceled = dream => owners.Cancel(dream.Id),
            };
        });
        services.AddSingleton(sp => new EvalRunner(options.Store, sp.GetRequiredService<SessionEngine>(), options.TimeProvider, sp.GetRequiredService<ILogger<EvalRunner>>()));
        services.AddSingleton(sp =>
        {
            var owners = sp.GetRequiredService<IEvalOwners>();
            return new EvalService(options.Store, sp.GetRequiredService<MemoryService>(), options.TimeProvider, options.Ids) { Created = run => owners.Start(run.Id) };
        });
        services.AddSingleton(options.Webhooks);
        services.AddSingleton(sp => new WebhookDispatcher(
            options.Store, new WebhookSender(options.Webhooks, options.TimeProvider), options.Webhooks, options.TimeProvider, sp.GetRequiredService<ILogger<WebhookDispatcher>>()));
        services.AddSingleton(sp => new WebhookService(options.Store, options.Webhooks, options.TimeProvider, options.Ids) { Changed = sp.GetRequiredService<WebhookDispatcher>().Wake });
        services.AddSingleton(sp => new DeploymentRuns(options.Store, sp.GetRequiredService<SessionService>(), options.TimeProvider, options.Ids));
        services.AddSingleton(sp => new DeploymentScheduler(sp.GetRequiredService<DeploymentRuns>(), options.TimeProvider, sp.GetRequiredService<ILogger<DeploymentScheduler>>()));
        services.AddSingleton(sp =>
        {
            var scheduler = sp.GetRequiredService<DeploymentScheduler>();
            return new DeploymentService(options.Store, sp.GetRequiredService<DeploymentRuns>(), options.TimeProvider, options.Ids) { Changed = scheduler.Wake };
        });
        services.AddSingleton(sp => new LearningScheduler(
            new LearningRuns(options.Store, sp.GetRequiredService<DreamService>(), options.TimeProvider), options.TimeProvider, sp.GetRequiredService<ILogger<LearningScheduler>>()));
        services.AddSingleton(sp => new LearningService(options.Store, sp.GetRequiredService<DreamService>(), options.TimeProvider, options.Ids)
        {
            Changed = sp.GetRequiredService<LearningScheduler>().Wake,
        });
        if (options.Telemetry is { } telemetry)
        {
            services.AddLucidTelemetry(telemetry);
        }

        services.AddHealthChecks().AddCheck<StoreHealthCheck>(HealthEndpoint.StoreCheck);
        options.Cluster?.AddTo(builder);
        services.TryAddSingleton<IClusterNodes, SingleNode>();
        services.TryAddSingleton<ISessionOwners, LocalSessionOwners>();
        services.TryAddSingleton<IDreamOwners, LocalDreamOwners>();
        services.TryAddSingleton<IEvalOwners, LocalEvalOwners>();
        services.TryAddSingleton<IKeyBuckets, LocalKeyBuckets>();
        services.AddSingleton<SessionInput>();
        services.AddSingleton<SessionEdits>();
        services.AddSingleton<SessionResourceEdits>();
        services.AddLucidConsole(options.ConsoleKeys);
        services.AddHostedService<SandboxNotice>();
        services.AddHostedService<SessionRecovery>();
        services.AddHostedService<DreamRecovery>();
        services.AddHostedService<EvalRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<LearningScheduler>());
        if (options.Store is ILogCommitFeed commits)
        {
            // Streams follow sessions that other servers on the same database run.
            services.AddHostedService(sp => new LogNoticeFollower(commits, sp.GetRequiredService<EventHub>(), sp.GetRequiredService<ILogger<LogNoticeFollower>>()));
        }

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            return failure is BadHttpRequestException bad
                ? ApiErrors.WriteAsync(context, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : "invalid_request_error", bad.Message)
                : ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "api_error", "An internal error occurred; the server log has the details.");
        }));

        // Authentication first: the rate limiter counts requests per key.
        app.UseMiddleware<ApiKeyAuthentication>();
        if (options.RateLimit is not null)
        {
            app.UseRateLimiter();
        }

        app.UseLucidConsole();
        app.MapGet("/", StatusPage.RenderAsync);
        app.MapHealth();
        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiFilter>();
        v1.MapAgents().MapEnvironments().MapSessions().MapThreads().MapMemoryStores().MapDreams().MapDreamReviews().MapVaults().MapDeployments().MapWebhooks().MapFiles().MapSkills().MapImports().MapLearningPolicies().MapEvals().MapCluster();
        v1.MapFallback((HttpContext http) => ApiErrors.Result(StatusCodes.Status404NotFound, "not_found_error", $"There is no endpoint {http.Request.Method} {http.Request.Path}."));
        return app;
    }
}
