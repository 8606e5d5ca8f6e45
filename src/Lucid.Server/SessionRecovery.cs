using Lucid.Server.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server;

/// <summary>
/// On start, resumes the sessions that were running when their node last stopped (see
/// <see cref="Lucid.Sessions.SessionEngine.RecoverAsync"/>); in a cluster, only those this node comes to own.
/// </summary>
internal sealed partial class SessionRecovery(ISessionOwners owners, ILogger<SessionRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await owners.RecoverAsync(cancellationToken);
        if (count > 0)
        {
            Rescheduled(logger, count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Rescheduled {Count} session(s) that were running when the server stopped")]
    private static partial void Rescheduled(ILogger logger, int count);
}
