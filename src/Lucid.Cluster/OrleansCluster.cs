using Lucid.Cluster.Dreams;
using Lucid.Cluster.Evals;
using Lucid.Cluster.Previews;
using Lucid.Cluster.RateLimits;
using Lucid.Cluster.Runs;
using Lucid.Cluster.Sessions;
using Lucid.Events;
using Lucid.Server.Cluster;
using Lucid.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Lucid.Cluster;

/// <summary>
/// Makes <c>lucid serve</c> a silo of an Orleans cluster whose membership is kept in the store's PostgreSQL database
/// (Orleans' ADO.NET clustering; its tables are Lucid migrations).
/// </summary>
/// <param name="connectionString">The store's database (an Npgsql connection string).</param>
/// <param name="settings">Where this node listens, and which cluster it joins.</param>
public sealed class OrleansCluster(string connectionString, ClusterSettings settings) : IClusterHosting
{
    /// <summary>The name of the health check that this node is an active member.</summary>
    public const string MembershipCheck = "cluster";

    // How long the node's own stop (leaving the membership, deactivating its grains) may take after the drain.
    private static readonly TimeSpan NodeStop = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public void AddTo(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ClusterId;
            });
            silo.Configure<SiloOptions>(options => options.SiloName = $"{Environment.MachineName}:{settings.NodePort}");
            if (settings.NodeAddress is { } address)
            {
                silo.ConfigureEndpoints(address, settings.NodePort, settings.GatewayPort);
            }
            else
            {
                silo.ConfigureEndpoints(settings.NodePort, settings.GatewayPort);
            }

            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = settings.ProbeTimeout;
                options.NumMissedProbesLimit = settings.MissedProbes;
            });

            // The strongly consistent directory: a grain has one activation in the cluster even while nodes join and die
            // (Orleans' default directory is eventually consistent there, and a joining node could activate a second).
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10: the guarantee Lucid needs for one owner per session.
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        });

        // A graceful stop lets the turns running here finish before the node leaves: the drain, then the node's own stop.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.DrainTimeout + NodeStop);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<SessionDrain>();
        builder.Services.AddHostedService<DeadNodeRecovery>();
        builder.Services.AddSingleton<IClusterNodes>(sp => ActivatorUtilities.CreateInstance<OrleansNodes>(sp, settings.ClusterId));
        builder.Services.AddSingleton<NodeLossRetry>();
        builder.Services.AddSingleton<ISessionOwners, GrainSessionOwners>();
        builder.Services.AddSingleton<ISessionPlacement, GrainPlacement>();
        // Streams on any node get the previews of sessions another node runs, relayed by the session's grain.
        builder.Services.AddSingleton<IRemotePreviews, GrainPreviews>();
        builder.Services.AddTransient<PreviewRelays>();
        builder.Services.AddHealthChecks().AddCheck<MembershipHealthCheck>(MembershipCheck);
        builder.Services.AddSingleton<IDreamOwners, GrainDreamOwners>();
        builder.Services.AddHostedService<RunSweep<IDreamOwners>>();
        builder.Services.AddSingleton<IEvalOwners, GrainEvalOwners>();
        builder.Services.AddHostedService<RunSweep<IEvalOwners>>();
        builder.Services.AddSingleton<IKeyBuckets, GrainKeyBuckets>();
    }
}
