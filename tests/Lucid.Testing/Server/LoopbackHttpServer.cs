using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lucid.Testing.Server;

/// <summary>An HTTP server on a free loopback port that answers every request with one handler: the base of the tests' fake servers.</summary>
public sealed class LoopbackHttpServer(RequestDelegate handle) : IAsyncDisposable
{
    private readonly WebApplication _app = Build(handle);

    /// <summary>The server's base address, such as <c>http://127.0.0.1:41234</c>; set by <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()?.TrimEnd('/')
            ?? throw new InvalidOperationException("The loopback server has no address.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static WebApplication Build(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handle);
        return app;
    }
}
