using Lucid.Secrets;

namespace Lucid.Providers.Tests;

public sealed class ProviderSettingsTests
{
    [Fact]
    public void KnownSecrets_lists_each_configured_key_whether_from_the_environment_or_the_config_file_and_nothing_else()
    {
        var directory = Directory.CreateTempSubdirectory("lucid-config-").FullName;
        try
        {
            var config = Path.Combine(directory, "config.json");
            File.WriteAllText(config, """{"providers":{"anthropic":{"api_key":"file-anthropic-key","base_url":"http://file"},"ollama":{"host":"gpu-box:11434"}}}""");
            var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "env-openai-key", ["OPENAI_BASE_URL"] = "http://gateway/v1" };

            var settings = ProviderSettings.FromEnvironment(environment, config).Value;

            Assert.Equal(
                [new KnownSecret("configured Anthropic API key", "file-anthropic-key"), new KnownSecret("configured OpenAI API key", "env-openai-key")],
                settings?.KnownSecrets());
            Assert.Empty(new ProviderSettings().KnownSecrets());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
