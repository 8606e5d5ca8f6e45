using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// Calls a session's grain again while the node it is active on has died and is not declared dead yet: such a call is
/// refused (the node cannot be reached) until the membership declares the node dead, after which the call activates the
/// grain on a survivor. It waits <see cref="RetryDelay"/> between tries, for at most <see cref="Window"/>, which the
/// failure detection's settings bound; any other error, and a node loss past the window, goes to the caller.
/// </summary>
internal sealed partial class NodeLossRetry(ClusterSettings settings, TimeProvider time, ILogger<NodeLossRetry> logger)
{
    /// <summary>How long to wait between two tries.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a dead node can go undeclared: it is suspected after <see cref="ClusterSettings.MissedProbes"/> missed
    /// probes, each of which Orleans may wait up to four times <see cref="ClusterSettings.ProbeTimeout"/> for, and two
    /// rounds more cover the votes and the directory taking over the node's grains (32 s with the defaults).
    /// </summary>
    public TimeSpan Window => settings.ProbeTimeout * 4 * (settings.MissedProbes + 2);

    /// <summary>
    /// Whether an error of a grain call means that the node the grain is on is gone: the call was refused because that
    /// node cannot be reached (<see cref="OrleansMessageRejectionException"/>, a <see cref="SiloUnavailableException"/>
    /// among them), or no connection to it could be made. Such a call may have reached the node before it died.
    /// </summary>
    public static bool IsNodeLoss(Exception exception) => exception is OrleansMessageRejectionException or ConnectionFailedException;

    /// <summary>
    /// Makes the call, and again after a node loss until <see cref="Window"/> has passed; the call is told whether it is a
    /// resend, which may find its first try done by the node that died.
    /// </summary>
    public async Task<T> CallAsync<T>(string sessionId, Func<bool, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var deadline = time.GetUtcNow() + Window;
        for (var resent = false; ; resent = true)
        {
            Task wait;
            try
            {
                return await call(resent).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (IsNodeLoss(ex) && time.GetUtcNow() + RetryDelay <= deadline)
            {
                wait = Task.Delay(RetryDelay, time, cancellationToken);
                OwnerLost(logger, sessionId, ex.Message);
            }

            await wait;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The owner of session {SessionId} cannot be reached ({Reason}); trying again until its node is declared dead")]
    private static partial void OwnerLost(ILogger logger, string sessionId, string reason);
}
