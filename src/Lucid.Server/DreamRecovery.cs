using Lucid.Dreams;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server;

/// <summary>
/// On start, starts the dreams left pending and fails those left running (see <see cref="DreamRunner.RecoverAsync"/>),
/// each on its owner (<see cref="IDreamOwners"/>): in a cluster, a dream another node runs is left to it.
/// </summary>
internal sealed partial class DreamRecovery(IDreamOwners owners, DreamRunner runner, ILogger<DreamRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await owners.RecoverAsync(cancellationToken);
        if (count > 0)
        {
            Recovered(logger, count);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await runner.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Settled {Count} dream(s) left pending or running when the server stopped")]
    private static partial void Recovered(ILogger logger, int count);
}
