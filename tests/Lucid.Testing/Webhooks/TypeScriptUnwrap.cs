using System.Diagnostics;
using System.Text.Json;

namespace Lucid.Testing.Webhooks;

/// <summary>
/// Runs the TypeScript SDK's <c>client.beta.webhooks.unwrap</c> (which verifies the Standard Webhooks signature and
/// parses the event) on a delivery, in Node. The repository's <c>.ci/run</c> installs the SDK (pinned) under
/// <c>tests/.ts-sdk</c>, where this looks for it.
/// </summary>
public static class TypeScriptUnwrap
{
    private const string Script = """
        const Anthropic = require('@anthropic-ai/sdk').default;
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const client = new Anthropic({ apiKey: 'unused', webhookKey: input.key });
        const event = client.beta.webhooks.unwrap(input.body, { headers: input.headers });
        process.stdout.write(JSON.stringify({ type: event.type, id: event.id, data_type: event.data.type, data_id: event.data.id }));
        """;

    /// <summary>What unwrap returned (the event's type, ID and data type and ID as JSON), or throws with Node's error.</summary>
    public static async Task<JsonElement> RunAsync(WebhookReceiver.Delivery delivery, string signingSecret)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var modules = Path.Combine(Mcp.EverythingServer.RepositoryRoot(), "tests", ".ts-sdk", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@anthropic-ai", "sdk")))
        {
            throw new InvalidOperationException($"The TypeScript SDK is not installed under {modules}; run .ci/run (or its npm install line) first.");
        }

        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script);
        start.Environment["NODE_PATH"] = modules;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { key = signingSecret, body = delivery.Body, headers = delivery.Headers }));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? JsonDocument.Parse(await output).RootElement.Clone()
            : throw new InvalidOperationException($"webhooks.unwrap refused the delivery: {await error}");
    }
}
