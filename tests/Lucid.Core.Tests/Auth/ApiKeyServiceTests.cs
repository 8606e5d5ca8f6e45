using Lucid.Auth;
using Lucid.Core.Tests.Dreams;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Core.Tests.Auth;

public sealed class ApiKeyServiceTests
{
    [Fact]
    public async Task A_known_key_is_read_from_the_store_once_per_cache_period_and_an_unknown_one_every_time()
    {
        var (store, hooks) = StoreInterceptor.Over(new InMemoryStore());
        var lookups = 0;
        hooks.After = name => lookups += name == nameof(IApiKeyStore.FindApiKeyAsync) ? 1 : 0;
        var time = new FakeTimeProvider();
        var keys = new ApiKeyService(store, time);
        var (key, secret) = (await keys.CreateAsync("team", "ci", CancellationToken.None)).Value;

        Assert.Equal(key.Id, (await keys.AuthenticateAsync(secret, CancellationToken.None))?.Id);
        Assert.Equal(key.Id, (await keys.AuthenticateAsync(secret, CancellationToken.None))?.Id);
        Assert.Equal(1, lookups);

        time.Advance(ApiKeyService.CacheFor + TimeSpan.FromSeconds(1));
        Assert.Equal("team", (await keys.AuthenticateAsync(secret, CancellationToken.None))?.WorkspaceId);
        Assert.Equal(2, lookups);

        Assert.Null(await keys.AuthenticateAsync("lucid_sk_unknown", CancellationToken.None));
        Assert.Null(await keys.AuthenticateAsync("lucid_sk_unknown", CancellationToken.None));
        Assert.Equal(4, lookups);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_by_the_service_that_revoked_it_though_it_was_cached()
    {
        var time = new FakeTimeProvider();
        var keys = new ApiKeyService(new InMemoryStore(), time);
        var (key, secret) = (await keys.CreateAsync("team", "ci", CancellationToken.None)).Value;
        var (_, other) = (await keys.CreateAsync("team", "other", CancellationToken.None)).Value;
        Assert.NotNull(await keys.AuthenticateAsync(secret, CancellationToken.None));

        var revoked = await keys.RevokeAsync(key.Id, CancellationToken.None);

        Assert.Equal(time.GetUtcNow(), revoked.Value?.RevokedAt);
        Assert.Null(await keys.AuthenticateAsync(secret, CancellationToken.None));
        Assert.NotNull(await keys.AuthenticateAsync(other, CancellationToken.None));
        Assert.Equal(time.GetUtcNow(), (await keys.ListAsync(CancellationToken.None)).Single(k => k.Id == key.Id).RevokedAt);
    }

    [Fact]
    public async Task Another_process_refuses_a_revoked_key_once_its_cached_copy_expires()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider();
        var cli = new ApiKeyService(store, time);
        var server = new ApiKeyService(store, time);
        var (key, secret) = (await cli.CreateAsync("team", "ci", CancellationToken.None)).Value;
        Assert.NotNull(await server.AuthenticateAsync(secret, CancellationToken.None));

        await cli.RevokeAsync(key.Id, CancellationToken.None);
        var stillCached = await server.AuthenticateAsync(secret, CancellationToken.None);
        time.Advance(ApiKeyService.CacheFor);
        var expired = await server.AuthenticateAsync(secret, CancellationToken.None);

        Assert.NotNull(stillCached);
        Assert.Null(expired);
    }

    [Fact]
    public async Task Revoking_an_unknown_or_malformed_key_id_is_an_error_and_changes_nothing()
    {
        var keys = new ApiKeyService(new InMemoryStore());
        var (_, secret) = (await keys.CreateAsync("team", "ci", CancellationToken.None)).Value;

        var unknown = await keys.RevokeAsync("key_unknown", CancellationToken.None);
        var malformed = await keys.RevokeAsync("lucid_sk_abc", CancellationToken.None);

        Assert.Equal(ErrorKind.NotFound, unknown.Error?.Kind);
        Assert.Equal(ErrorKind.InvalidRequest, malformed.Error?.Kind);
        Assert.NotNull(await keys.AuthenticateAsync(secret, CancellationToken.None));
    }
}
