using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Lucid.Testing.Mcp;

/// <summary>
/// An MCP server built with the official C# SDK on a free loopback port (streamable HTTP at <c>/mcp</c>, and the legacy
/// SSE transport at <c>/mcp/sse</c>), with a few tools: <c>echo</c>, <c>add</c>, <c>fail</c> (a tool error),
/// <c>image</c> (a 1×1 PNG) and <c>count</c>, which counts its calls.
/// </summary>
public sealed class InProcessMcpServer : IAsyncDisposable
{
    /// <summary>A 1×1 transparent PNG, base64.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private readonly WebApplication _app;
    private int _counted;
    private bool _disposed;

    public InProcessMcpServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools(
        [
            McpServerTool.Create((string text) => $"echo: {text}", new() { Name = "echo", Description = "Echoes the text back." }),
            McpServerTool.Create((int a, int b) => (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Name = "add", Description = "Adds two integers." }),
            McpServerTool.Create((string reason) => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"failed: {reason}" }] }, new() { Name = "fail", Description = "Always fails." }),
            McpServerTool.Create(() => new CallToolResult { Content = [new TextContentBlock { Text = "a dot" }, ImageContentBlock.FromBytes(Convert.FromBase64String(Png), "image/png")] }, new() { Name = "image", Description = "Returns an image." }),
            McpServerTool.Create(() => Interlocked.Increment(ref _counted).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Name = "count", Description = "Counts its calls." }),
        ]);
        _app = builder.Build();
        _app.MapMcp("/mcp");
    }

    /// <summary>The streamable HTTP endpoint, such as <c>http://127.0.0.1:41234/mcp</c>; set by <see cref="StartAsync"/>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>How many times <c>count</c> ran.</summary>
    public int Counted => Volatile.Read(ref _counted);

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()?.TrimEnd('/')
            ?? throw new InvalidOperationException("The MCP server has no address.");
        Url = $"{address}/mcp";
    }

    /// <summary>Stops the server: its port closes, and calls to it fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
