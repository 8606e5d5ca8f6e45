using System.Text.Json.Nodes;
using Lucid.Auth;
using Lucid.Secrets;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Secrets;

public sealed class SecretScannerTests
{
    // No pattern knows this shape: only the configured value gives it away.
    private const string GatewayKey = "gw.7f3a9c1e+40b2/d91e=";

    [Fact]
    public async Task Find_a_Lucid_api_key_reports_its_kind_and_redact_removes_it_but_not_the_prefix_listings_show()
    {
        var (key, secret) = (await new ApiKeyService(new InMemoryStore()).CreateAsync("team", "ci", CancellationToken.None)).Value;
        var text = $"export LUCID_KEY {secret} # listed as {key.Prefix}";

        Assert.Equal(["Lucid API key"], SecretScanner.PatternsOnly.Find(text));
        var redacted = SecretScanner.PatternsOnly.Redact(text);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("[redacted Lucid API key]", redacted, StringComparison.Ordinal);
        Assert.Contains($"listed as {key.Prefix}", redacted, StringComparison.Ordinal);
        Assert.Empty(SecretScanner.PatternsOnly.Find($"listed as {key.Prefix}"));
    }

    [Fact]
    public void Find_a_known_value_of_any_shape_reports_its_kind_and_redact_removes_it_also_as_json_escapes_it()
    {
        var scanner = new SecretScanner([new KnownSecret("configured OpenAI API key", $" {GatewayKey}\n")]);
        var json = new JsonObject { ["path"] = $"/notes/{GatewayKey}.md" }.ToJsonString();

        Assert.Empty(SecretScanner.PatternsOnly.Find($"use {GatewayKey} to call the gateway"));
        Assert.Equal(["configured OpenAI API key"], scanner.Find($"use {GatewayKey} to call the gateway"));
        Assert.Equal("use [redacted configured OpenAI API key] to call the gateway", scanner.Redact($"use {GatewayKey} to call the gateway"));
        Assert.DoesNotContain(GatewayKey, json, StringComparison.Ordinal);
        Assert.Equal(["configured OpenAI API key"], scanner.Find(json));
        Assert.Equal("""{"path":"/notes/[redacted configured OpenAI API key].md"}""", scanner.Redact(json));
    }

    [Fact]
    public void Find_a_known_value_that_also_fits_a_pattern_reports_one_kind_and_an_assignment_of_it_no_second()
    {
        const string Key = "sk-ant-api03-configuredconfigured0123";
        var scanner = new SecretScanner([new KnownSecret("configured Anthropic API key", Key)]);

        Assert.Equal(["configured Anthropic API key"], scanner.Find($"ANTHROPIC_API_KEY={Key}"));
        Assert.Equal("ANTHROPIC_API_KEY=[redacted configured Anthropic API key]", scanner.Redact($"ANTHROPIC_API_KEY={Key}"));
    }

    [Fact]
    public void Known_values_shorter_than_the_minimum_are_placeholders_and_left_alone()
    {
        var scanner = new SecretScanner([new KnownSecret("configured OpenAI API key", "ollama"), new KnownSecret("configured Anthropic API key", "  ")]);

        Assert.Empty(scanner.Find("ollama serves the model"));
        Assert.Equal("ollama serves the model", scanner.Redact("ollama serves the model"));
    }

    [Fact]
    public void A_known_secret_prints_its_kind_never_its_value()
    {
        var secret = new KnownSecret("configured OpenAI API key", GatewayKey);

        Assert.DoesNotContain(GatewayKey, secret.ToString(), StringComparison.Ordinal);
        Assert.Contains("configured OpenAI API key", secret.ToString(), StringComparison.Ordinal);
    }
}
