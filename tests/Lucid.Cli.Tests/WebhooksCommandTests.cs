using System.Text.RegularExpressions;
using Lucid.Storage.Sqlite;
using StandardWebhooks;

namespace Lucid.Cli.Tests;

public sealed partial class WebhooksCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task An_endpoint_is_created_listed_shown_disabled_rotated_and_deleted()
    {
        var (exit, output) = await _cli.RunAsync("webhooks", "create", "https://hooks.example.com/lucid", "--event", "session.status_idled", "--event", "deployment_run.failed", "--name", "ops");
        Assert.Equal(0, exit);
        var id = IdPattern().Match(output).Value;
        var secret = SecretPattern().Match(output).Value;
        _ = new StandardWebhook(secret); // a Standard Webhooks key

        var (_, list) = await _cli.RunAsync("webhooks", "list");
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("deployment_run.failed", list, StringComparison.Ordinal);

        (exit, output) = await _cli.RunAsync("webhooks", "update", id, "--disable", "--event", "memory_store.created");
        Assert.Equal(0, exit);
        Assert.Contains("disabled, memory_store.created", output, StringComparison.Ordinal);

        (exit, output) = await _cli.RunAsync("webhooks", "rotate-secret", id);
        Assert.Equal(0, exit);
        Assert.NotEqual(secret, SecretPattern().Match(output).Value);

        var (_, shown) = await _cli.RunAsync("webhooks", "show", id);
        Assert.Contains("disabled", shown, StringComparison.Ordinal);

        (exit, _) = await _cli.RunAsync("webhooks", "delete", id);
        Assert.Equal(0, exit);
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        Assert.Null(await store.GetWebhookEndpointAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_private_address_needs_allow_private_and_unknown_events_are_named()
    {
        var (exit, output) = await _cli.RunAsync("webhooks", "create", "http://127.0.0.1:9000/hook", "--event", "session.status_idled");
        Assert.Equal(2, exit);
        Assert.Contains("https", output, StringComparison.Ordinal);

        (exit, output) = await _cli.RunAsync("webhooks", "create", "https://hooks.example.com", "--event", "session.exploded");
        Assert.Equal(2, exit);
        Assert.Contains("session.exploded", output, StringComparison.Ordinal);

        (exit, output) = await _cli.RunAsync("webhooks", "create", "http://127.0.0.1:9000/hook", "--event", "session.status_idled", "--allow-private");
        Assert.Equal(0, exit);
        Assert.Matches(IdPattern(), output);
    }

    [GeneratedRegex("whep_[A-Za-z0-9]+")]
    private static partial Regex IdPattern();

    [GeneratedRegex("whsec_[A-Za-z0-9+/=]+")]
    private static partial Regex SecretPattern();
}
