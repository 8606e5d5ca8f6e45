using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Lucid.Testing.Mcp;

/// <summary>
/// An MCP server built with the official C# SDK on a free loopback port (streamable HTTP at <c>/mcp</c>, and the legacy
/// SSE transport at <c>/mcp/sse</c>), with a few tools: <c>echo</c>, <c>add</c>, <c>fail</c> (a tool error),
/// <c>image</c> (a 1×1 PNG) and <c>count</c>, which counts its calls. It records the <c>Authorization</c> header of every
/// request, refuses requests without <see cref="RequiredAuthorization"/> when that is set (401), and serves an OAuth token
/// endpoint at <c>/token</c> that answers with <see cref="TokenAnswer"/>.
/// </summary>
public sealed class InProcessMcpServer : IAsyncDisposable
{
    /// <summary>A 1×1 transparent PNG, base64.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _authorizations = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _tokenRequests = new();
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
        _app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/mcp", StringComparison.Ordinal))
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                _authorizations.Enqueue(authorization);
                if (RequiredAuthorization is { } required && authorization != required)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
            }

            await next(context);
        });
        _app.MapPost("/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            _tokenRequests.Enqueue(string.Join("&", form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")));
            var (status, json) = TokenAnswer;
            return Microsoft.AspNetCore.Http.Results.Text(json, "application/json", System.Text.Encoding.UTF8, status);
        });
        _app.MapMcp("/mcp");
    }

    /// <summary>The streamable HTTP endpoint, such as <c>http://127.0.0.1:41234/mcp</c>; set by <see cref="StartAsync"/>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The <c>Authorization</c> header of every MCP request, in order (empty when there was none).</summary>
    public IReadOnlyList<string> Authorizations => [.. _authorizations];

    /// <summary>The form of every request to the token endpoint, its fields sorted (<c>grant_type=refresh_token&amp;…</c>).</summary>
    public IReadOnlyList<string> TokenRequests => [.. _tokenRequests];

    /// <summary>When set, MCP requests without exactly this <c>Authorization</c> header are refused with 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>The token endpoint's status and JSON answer.</summary>
    public (int Status, string Json) TokenAnswer { get; set; } = (200, """{"access_token":"fresh-access-token-123456","token_type":"Bearer","expires_in":3600}""");

    /// <summary>The token endpoint's URL; set by <see cref="StartAsync"/>.</summary>
    public string TokenUrl => Url.Replace("/mcp", "/token", StringComparison.Ordinal);

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
