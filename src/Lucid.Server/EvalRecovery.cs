using Lucid.Evals;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server;

/// <summary>
/// On start, fails the eval runs left pending or running (see <see cref="EvalRunner.RecoverAsync"/>), each on its owner
/// (<see cref="IEvalOwners"/>): in a cluster, a run another node runs is left to it. On stop, stops the runs under way.
/// </summary>
internal sealed partial class EvalRecovery(IEvalOwners owners, EvalRunner runner, ILogger<EvalRecovery> logger) : IHostedService
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed {Count} eval run(s) left pending or running when the server stopped")]
    private static partial void Recovered(ILogger logger, int count);
}
