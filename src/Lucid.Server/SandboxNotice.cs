using Lucid.Sandboxing;
using Lucid.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server;

/// <summary>On start, logs how the processes sessions start are confined; loudly when they are not.</summary>
internal sealed partial class SandboxNotice(SessionEngine engine, ILogger<SandboxNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var sandbox = engine.Options.Sandbox;
        switch (sandbox.Isolation)
        {
            case ProcessIsolation.Unsandboxed:
                Unsandboxed(logger);
                break;
            case ProcessIsolation.Refused:
                Refused(logger, sandbox.RefusalReason ?? "no sandbox is available");
                break;
            default:
                Sandboxed(logger, sandbox.Network);
                if (Environment.IsPrivilegedProcess)
                {
                    RunningAsRoot(logger);
                }

                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "UNSAFE: no sandbox (--unsafe-no-sandbox). bash and outcome command checks run on this machine as the server's user, with its environment (provider keys included), its files and its network")]
    private static partial void Unsandboxed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No sandbox can be made ({Reason}): bash and outcome command checks are refused. Install bubblewrap, or start with --unsafe-no-sandbox")]
    private static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commands run in a bubblewrap sandbox per session; network: {Network}")]
    private static partial void Sandboxed(ILogger logger, NetworkAccess network);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server runs as root: the kernel does not apply the sandbox's process limit to root; run Lucid as an ordinary user")]
    private static partial void RunningAsRoot(ILogger logger);
}
