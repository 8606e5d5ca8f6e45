using Lucid.Auth;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The API key store contract, written once and run against every backend.</summary>
public abstract class ApiKeyContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static ApiKey NewKey(string id, char hash, int minute = 0) =>
        new() { Id = id, WorkspaceId = "team", Name = "ci", Hash = new string(hash, 64), Prefix = "lucid_sk_abc", CreatedAt = T0.AddMinutes(minute) };

    [Fact]
    public async Task Api_keys_are_found_by_hash_only()
    {
        await using var store = await CreateStoreAsync();
        var key = NewKey("key_1", 'a');

        await store.CreateApiKeyAsync(key, None);

        Assert.Equal(key, await store.FindApiKeyAsync(new string('a', 64), None));
        Assert.Null(await store.FindApiKeyAsync(new string('b', 64), None));
        Assert.Equal([key], await store.ListApiKeysAsync(None));
    }

    [Fact]
    public async Task A_revoked_key_is_kept_with_its_revocation_time_and_others_are_untouched()
    {
        await using var store = await CreateStoreAsync();
        var kept = NewKey("key_1", 'a');
        var other = NewKey("key_2", 'b', minute: 1);
        await store.CreateApiKeyAsync(kept, None);
        await store.CreateApiKeyAsync(other, None);

        var revoked = await store.RevokeApiKeyAsync("key_1", T0.AddHours(1), None);

        var expected = kept with { RevokedAt = T0.AddHours(1) };
        Assert.Equal(expected, revoked);
        Assert.Equal(expected, await store.FindApiKeyAsync(new string('a', 64), None));
        Assert.Equal([expected, other], await store.ListApiKeysAsync(None));
    }

    [Fact]
    public async Task Revoking_again_keeps_the_first_time_and_an_unknown_id_revokes_nothing()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateApiKeyAsync(NewKey("key_1", 'a'), None);
        await store.RevokeApiKeyAsync("key_1", T0.AddHours(1), None);

        var again = await store.RevokeApiKeyAsync("key_1", T0.AddHours(2), None);
        var unknown = await store.RevokeApiKeyAsync("key_nope", T0.AddHours(2), None);

        Assert.Equal(T0.AddHours(1), again?.RevokedAt);
        Assert.Null(unknown);
        Assert.Single(await store.ListApiKeysAsync(None));
    }
}
