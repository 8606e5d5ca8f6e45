using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lucid.Testing.Server;

/// <summary>
/// An HTTP server on a free loopback port that answers every request with one handler: the base of the tests' fake
/// servers. With a <c>certificate</c> it speaks HTTPS only.
/// </summary>
public sealed class LoopbackHttpServer(RequestDelegate handle, X509Certificate2? certificate = null) : IAsyncDisposable
{
    private readonly WebApplication _app = Build(handle, certificate);

    /// <summary>The server's base address, such as <c>http://127.0.0.1:41234</c>; set by <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The port the server listens on; set by <see cref="StartAsync"/>.</summary>
    public int Port => new Uri(BaseUrl).Port;

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

    private static WebApplication Build(RequestDelegate handle, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handle);
        return app;
    }
}
