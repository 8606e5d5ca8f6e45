using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Lucid.Events;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// A process's one <c>LISTEN</c> connection for <see cref="LogAnnouncements"/>, shared by everything that follows logs:
/// it turns notifications into <see cref="LogCommittedNotice"/>s, and adds a <see cref="CatchUpNotice"/> each time it
/// (re)connects — what was committed while it was not listening is read then — and every
/// <see cref="PostgresStoreOptions.CatchUpInterval"/>, a safety net for a notice lost any other way. A broken
/// connection is opened again at once, then after doubling waits up to <see cref="PostgresStoreOptions.MaxListenRetryDelay"/>
/// while it keeps failing.
/// </summary>
internal sealed class LogListener(string connectionString, PostgresStoreOptions options)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly NpgsqlConnectionStringBuilder _settings = new(connectionString)
    {
        // Named, so an operator can tell it in pg_stat_activity; a keepalive finds a connection that died silently.
        ApplicationName = "lucid listener",
        KeepAlive = 30,
        Pooling = false,
    };

    public async IAsyncEnumerable<LogNotice> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var notices = Channel.CreateUnbounded<LogNotice>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listening = KeepListeningAsync(notices.Writer, stop.Token);
        await using var poll = options.Clock.CreateTimer(_ => notices.Writer.TryWrite(new CatchUpNotice()), null, options.CatchUpInterval, options.CatchUpInterval);
        try
        {
            await foreach (var notice in notices.Reader.ReadAllAsync(cancellationToken))
            {
                yield return notice;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task KeepListeningAsync(ChannelWriter<LogNotice> notices, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_settings.ConnectionString);
                connection.Notification += (_, e) =>
                {
                    if (LogAnnouncements.Read(e.Payload) is { } notice)
                    {
                        notices.TryWrite(notice);
                    }
                };
                await connection.OpenAsync(cancellationToken);
                await connection.ExecuteAsync($"LISTEN {LogAnnouncements.Channel}", cancellationToken);
                failures = 0;
                notices.TryWrite(new CatchUpNotice());
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
            {
                // Until it is back, followers see new events only through the slow catch-up.
                var delay = failures == 0 ? TimeSpan.Zero : Min(FirstRetryDelay * Math.Pow(2, Math.Min(failures - 1, 16)), options.MaxListenRetryDelay);
                failures++;
                await Task.Delay(delay, options.Clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
