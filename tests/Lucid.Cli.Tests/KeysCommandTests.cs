using System.Text.RegularExpressions;
using Lucid.Auth;
using Lucid.Storage.Sqlite;

namespace Lucid.Cli.Tests;

public sealed partial class KeysCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<(string Id, string Secret)> CreateAsync(string name)
    {
        var (exit, output) = await _cli.RunAsync("keys", "create", "--workspace", "team", "--name", name);
        Assert.Equal(0, exit);
        return (IdPattern().Match(output).Value, SecretPattern().Match(output).Value);
    }

    [Fact]
    public async Task Revoke_keeps_the_key_lists_it_as_revoked_and_it_no_longer_authenticates()
    {
        var (revokedId, revokedSecret) = await CreateAsync("leaked");
        var (keptId, keptSecret) = await CreateAsync("kept");

        var (exit, output) = await _cli.RunAsync("keys", "revoke", revokedId);
        var (_, list) = await _cli.RunAsync("keys", "list");

        Assert.Equal(0, exit);
        Assert.Contains($"Revoked {revokedId}", output, StringComparison.Ordinal);
        Assert.Contains("within 30 seconds", output, StringComparison.Ordinal);
        var rows = list.Split('\n');
        Assert.Contains("revoked", rows.Single(r => r.Contains(revokedId, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("revoked", rows.Single(r => r.Contains(keptId, StringComparison.Ordinal)), StringComparison.Ordinal);
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        var keys = new ApiKeyService(store);
        Assert.Null(await keys.AuthenticateAsync(revokedSecret, CancellationToken.None));
        Assert.Equal(keptId, (await keys.AuthenticateAsync(keptSecret, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_fails_and_names_it()
    {
        await CreateAsync("kept");

        var (exit, output) = await _cli.RunAsync("keys", "revoke", "key_doesnotexist");

        Assert.Equal(1, exit);
        Assert.Contains("key_doesnotexist", output, StringComparison.Ordinal);
        Assert.Contains("not found", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("key_[A-Za-z0-9]+")]
    private static partial Regex IdPattern();

    [GeneratedRegex("lucid_sk_[A-Za-z0-9]+")]
    private static partial Regex SecretPattern();
}
