using Lucid.Auth;
using Lucid.Core.Tests.Dreams;
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
}
