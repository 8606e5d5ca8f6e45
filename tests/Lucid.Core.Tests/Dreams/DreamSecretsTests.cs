using System.Text.Json;
using Lucid.Auth;
using Lucid.Dreams;
using Lucid.Json;
using Lucid.Models;
using Lucid.Secrets;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

/// <summary>The host's own secrets (its providers' keys, by value) and Lucid's API keys stay out of everything a dream writes or shows its model.</summary>
public sealed class DreamSecretsTests
{
    // The shape of a self-hosted gateway's key: no pattern knows it, only the configured value gives it away.
    private const string GatewayKey = "gw.7f3a9c1e+40b2/d91e=";

    private static DreamOptions Options => new() { KnownSecrets = [new KnownSecret("configured OpenAI API key", GatewayKey)] };

    [Fact]
    public async Task A_configured_provider_key_and_a_Lucid_key_in_a_transcript_are_refused_redacted_and_never_shown_to_the_model()
    {
        using var h = new DreamHarness(Options);
        var lucidKey = (await new ApiKeyService(h.Store).CreateAsync(Ws, "ci", None)).Value.Secret;
        var log = new SeededLog("sesn_keys");
        log.User($"Call the gateway with {GatewayKey}, then report to Lucid with {lucidKey}.");
        var use = log.ToolUse("bash", $$"""{"command":"curl -H 'key: {{GatewayKey}}' gateway"}""");
        var error = log.ToolResult(use, "Error: 401", isError: true);
        var fix = log.Call("bash", """{"command":"curl -H @key-file gateway"}""", "ok");
        await h.SeedAsync([log]);
        var store = await h.StoreAsync(("/notes/gateway.md", $"The gateway key is {GatewayKey}."));
        h.Dreamer.Reply(Lessons(new { title = "Keys", when = "calling the gateway", @do = $"send {GatewayKey}", evidence = new[] { fix } }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/gateway-key.md", "Gateway key", "calling the gateway", $"Send the header key: {GatewayKey}.", [error, fix]),
            Op("add", "/lessons/lucid-key.md", "Lucid key", "reporting to Lucid", $"Use {lucidKey}.", [error, fix]),
            Op("add", "/lessons/gateway.md", "Send the gateway key from a file", "the gateway answers 401", "Pass -H @key-file; never paste a key.", [error, fix])));

        var dream = await h.DreamAsync(store, ["sesn_keys"]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.All(h.Dreamer.Requests, r => AssertClean(r.AllText, lucidKey));
        var output = await h.MemoriesAsync(dream.OutputStoreId ?? "");
        Assert.Equal(["/dreams/" + dream.Id + ".md", "/lessons/gateway.md", "/notes/gateway.md"], output.Keys.Order(StringComparer.Ordinal));
        var report = output["/dreams/" + dream.Id + ".md"].Content ?? "";
        AssertClean(report + output["/lessons/gateway.md"].Content, lucidKey);
        Assert.Contains("add /lessons/gateway-key.md: refused — it contained a configured OpenAI API key", report, StringComparison.Ordinal);
        Assert.Contains("add /lessons/lucid-key.md: refused — it contained a Lucid API key", report, StringComparison.Ordinal);
        Assert.Contains("- `/notes/gateway.md`: configured OpenAI API key", report, StringComparison.Ordinal);
        Assert.All(await h.SessionEventsAsync(dream.SessionId ?? ""), e => AssertClean(JsonSerializer.Serialize(e.Event, LucidJsonContext.Default.SessionEvent), lucidKey));
    }

    [Fact]
    public async Task A_model_error_that_echoes_the_configured_key_is_redacted_in_the_dream_error_report_and_session()
    {
        using var h = new DreamHarness(Options);
        var (logs, _, _, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync();
        h.Dreamer.Throw(new ModelRequestException(ModelErrorKind.RequestFailed, $"Incorrect API key provided: {GatewayKey}.", 401));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("model_error", dream.Error?.Type);
        Assert.Contains("Incorrect API key provided: [redacted configured OpenAI API key].", dream.Error?.Message, StringComparison.Ordinal);
        var report = (await h.MemoriesAsync(dream.OutputStoreId ?? ""))["/dreams/" + dream.Id + ".md"].Content ?? "";
        Assert.Contains("[redacted configured OpenAI API key]", report, StringComparison.Ordinal);
        AssertClean(report, GatewayKey);
        Assert.All(await h.SessionEventsAsync(dream.SessionId ?? ""), e => AssertClean(JsonSerializer.Serialize(e.Event, LucidJsonContext.Default.SessionEvent), GatewayKey));
    }

    // Neither key, nor the gateway key as JSON escapes it ('+' becomes \u002B).
    private static void AssertClean(string text, string lucidKey)
    {
        Assert.DoesNotContain(GatewayKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonEncodedText.Encode(GatewayKey).ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(lucidKey, text, StringComparison.Ordinal);
    }
}
