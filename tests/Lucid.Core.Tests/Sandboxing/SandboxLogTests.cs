using System.Text.Json;
using Lucid.Environments;
using Lucid.Sandboxing;
using Lucid.Tools;
using Microsoft.Extensions.Logging;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class SandboxLogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-sandbox-log-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_connection_the_egress_proxy_refuses_is_logged_with_its_host()
    {
        var log = new RecordingLogger();
        var context = new ToolContext
        {
            Directory = new WorkDirectory(_root),
            Sandbox = new SandboxOptions { Egress = new EgressRules(new NetworkPolicy { AllowedHosts = ["api.example.com"] }) },
            SandboxLog = log,
        };

        var result = await BuiltInTools.Find("bash")!.InvokeAsync(
            JsonSerializer.SerializeToElement(new { command = "curl -s -m 10 -o /dev/null -w '%{http_code}' http://refused.example.net:8080/" }), context, CancellationToken.None);

        Assert.Contains("403", result.Content, StringComparison.Ordinal);
        var (level, message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("refused.example.net:8080", message, StringComparison.Ordinal);
    }
}
