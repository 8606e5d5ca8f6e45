using Lucid.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Testing.Server;

/// <summary>One Lucid server of a <see cref="LucidTestServer"/>: its options (and so its store), and its app while it runs.</summary>
internal sealed class TestNode(LucidServerOptions options) : IAsyncDisposable
{
    private WebApplication? _app;

    public LucidServerOptions Options => options;

    /// <summary>The node's address; a restart moves it to a new port.</summary>
    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        _app = LucidServer.Build(options);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("The server has no address.");
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server has not started.");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await options.Store.DisposeAsync();
    }
}
