using Lucid.Events;
using Lucid.Testing.Storage;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Lucid.Storage.Postgres.Tests.PostgresWriterTests;

namespace Lucid.Storage.Postgres.Tests;

/// <summary>Two stores on one database, as two servers: one appends, the other listens for its commits.</summary>
public sealed class PostgresLogListenerTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _hang = new(TimeSpan.FromMinutes(1));
    private readonly FakeTimeProvider _clock = new();
    private string _database = "";
    private PostgresStore? _appender;
    private PostgresStore? _listener;

    private CancellationToken Token => _hang.Token;

    private PostgresStore Appender => _appender ?? throw new InvalidOperationException();

    private PostgresStore Listener => _listener ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _appender = await PostgresStore.OpenAsync(_database, Token);
        _listener = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { Clock = _clock, CatchUpInterval = TimeSpan.FromSeconds(10) }, Token);
        await CreateSessionsAsync(Appender, 2);
    }

    public async Task DisposeAsync()
    {
        await Appender.DisposeAsync();
        await Listener.DisposeAsync();
        _hang.Dispose();
    }

    [Fact]
    public async Task Each_committed_append_is_announced_with_its_log_and_last_sequence_once_readable_by_another_store()
    {
        await using var notices = Listener.ListenAsync(Token).GetAsyncEnumerator(Token);
        Assert.IsType<CatchUpNotice>(await NextAsync(notices));

        await Appender.AppendAsync(SessionId(0), [Message(1), Message(2)], Token);
        await Appender.AppendAsync(SessionId(1), [Message(3)], Token);
        var first = Assert.IsType<LogCommittedNotice>(await NextAsync(notices));
        var log = await Listener.ReadAsync(first.Log, 0, 10, Token);
        var second = Assert.IsType<LogCommittedNotice>(await NextAsync(notices));

        Assert.Equal(new LogCommittedNotice(LogId.Of(SessionId(0)), 2), first);
        Assert.Equal([1, 2], log.Select(e => e.Sequence));
        Assert.Equal(new LogCommittedNotice(LogId.Of(SessionId(1)), 1), second);
    }

    [Fact]
    public async Task An_append_that_fails_announces_nothing()
    {
        await using var notices = Listener.ListenAsync(Token).GetAsyncEnumerator(Token);
        Assert.IsType<CatchUpNotice>(await NextAsync(notices));

        // The second event's ID is already in the log: the append fails after it announced itself, and rolls back.
        var logged = await Appender.AppendAsync(SessionId(0), [Message(1)], Token);
        await Assert.ThrowsAnyAsync<Exception>(() => Appender.AppendAsync(SessionId(0), [Message(2), logged[0].Event], Token));
        await Appender.AppendAsync(SessionId(1), [Message(3)], Token);

        Assert.Equal(new LogCommittedNotice(LogId.Of(SessionId(0)), 1), await NextAsync(notices));
        Assert.Equal(new LogCommittedNotice(LogId.Of(SessionId(1)), 1), await NextAsync(notices));
    }

    [Fact]
    public async Task A_listen_connection_the_server_ends_is_opened_again_and_says_to_catch_up_then_announces_again()
    {
        await using var notices = Listener.ListenAsync(Token).GetAsyncEnumerator(Token);
        Assert.IsType<CatchUpNotice>(await NextAsync(notices));

        Assert.Equal(1, await TerminateListenersAsync());
        var afterDrop = await NextAsync(notices);
        await Appender.AppendAsync(SessionId(0), [Message(1)], Token);

        Assert.IsType<CatchUpNotice>(afterDrop);
        Assert.Equal(new LogCommittedNotice(LogId.Of(SessionId(0)), 1), await NextAsync(notices));
    }

    [Fact]
    public async Task The_regular_catch_up_comes_each_interval_on_the_clock()
    {
        await using var notices = Listener.ListenAsync(Token).GetAsyncEnumerator(Token);
        Assert.IsType<CatchUpNotice>(await NextAsync(notices));
        var next = notices.MoveNextAsync().AsTask();

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await next);
        Assert.IsType<CatchUpNotice>(notices.Current);
    }

    private static async Task<LogNotice> NextAsync(IAsyncEnumerator<LogNotice> notices)
    {
        Assert.True(await notices.MoveNextAsync());
        return notices.Current;
    }

    private async Task<int> TerminateListenersAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'lucid listener' AND datname = current_database()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture);
    }
}
