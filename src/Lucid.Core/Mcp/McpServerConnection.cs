using System.Text.Json;
using Lucid.Agents;
using Microsoft.Extensions.Logging;

namespace Lucid.Mcp;

/// <summary>
/// A session's connection to one MCP server: opened on first use, its tool list kept until the server says it changed,
/// and reopened after it breaks. Reconnection backs off: after a failed attempt the next waits 1 s, then 2 s, 4 s … up to
/// a minute, and meanwhile every use fails at once with the last error, so nothing ever waits on a dead server.
/// </summary>
internal sealed class McpServerConnection : IAsyncDisposable
{
    private readonly McpServer _server;
    private readonly McpSessionServices _services;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IMcpConnection? _connection;
    private McpStdioProcess? _process;
    private IReadOnlyList<McpToolInfo>? _tools;
    private volatile bool _toolsChanged;
    private int _failures;
    private DateTimeOffset _nextAttempt;
    private string _lastError = "";
    private bool _authenticationFailed;

    public McpServerConnection(McpServer server, McpSessionServices services)
    {
        _server = server;
        _services = services;
    }

    public string Name => _server.Name;

    /// <summary>Whether the last failure to connect was the server refusing the credential, or the credential being unusable.</summary>
    public bool AuthenticationFailed => _authenticationFailed;

    /// <summary>The server's tools, listed again when it said they changed; or the reason they cannot be had.</summary>
    public async Task<(IReadOnlyList<McpToolInfo>? Tools, string? Error)> ToolsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tools is not null && _connection is not null && !_toolsChanged)
            {
                return (_tools, null);
            }

            var (connection, error) = await ConnectedAsync(cancellationToken);
            if (connection is null)
            {
                return (null, error);
            }

            using var timeout = new CancellationTokenSource(_services.Options.ListTimeout, _services.Time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                _toolsChanged = false;
                return (_tools = await connection.ListToolsAsync(either.Token), null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var message = timeout.IsCancellationRequested ? $"it did not list its tools within {_services.Options.ListTimeout.TotalSeconds:0} s" : ex.Message;
                await BreakAsync(ex);
                return (null, $"The MCP server '{Name}' could not list its tools: {message}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Calls a tool. Every failure, a timeout or a broken connection included, is an error result the agent reads.</summary>
    public async Task<McpCallResult> CallAsync(string tool, JsonElement input, CancellationToken cancellationToken)
    {
        IMcpConnection? connection;
        string? error;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            (connection, error) = await ConnectedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        if (connection is null)
        {
            return McpCallResult.Fail($"{error} The call of '{tool}' was not made.");
        }

        var limit = _services.Options.CallTimeout;
        using var timeout = new CancellationTokenSource(limit, _services.Time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await connection.CallToolAsync(tool, input, either.Token);
        }
        catch (McpCallException ex)
        {
            return McpCallResult.Fail($"The MCP server '{Name}' refused the call of '{tool}': {ex.Message}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The server may have acted before it went quiet or the connection broke: the outcome is unknown.
            await BreakAsync(ex);
            return McpCallResult.Fail(timeout.IsCancellationRequested
                ? $"The MCP server '{Name}' did not answer the call of '{tool}' within {limit.TotalSeconds:0} s, so its outcome is unknown: it may or may not have taken effect. Check before repeating it."
                : $"The connection to the MCP server '{Name}' broke during the call of '{tool}' ({ex.Message}), so its outcome is unknown: it may or may not have taken effect. Check before repeating it.");
        }
    }

    // The open connection, or a new one when no backoff holds it back; the error says why there is none.
    private async Task<(IMcpConnection? Connection, string? Error)> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return (_connection, null);
        }

        var now = _services.Time.GetUtcNow();
        if (_failures > 0 && now < _nextAttempt)
        {
            return (null, $"The MCP server '{Name}' is unreachable ({_lastError}); Lucid tries again in {Math.Ceiling((_nextAttempt - now).TotalSeconds):0} s.");
        }

        using var timeout = new CancellationTokenSource(_services.Options.ConnectTimeout, _services.Time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            _connection = await ConnectAsync(either.Token);
            _failures = 0;
            _authenticationFailed = false;
            _toolsChanged = true;
            return (_connection, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync();
            _failures++;
            var backoff = Backoff(_failures);
            _nextAttempt = now + backoff;
            _lastError = timeout.IsCancellationRequested ? $"no answer within {_services.Options.ConnectTimeout.TotalSeconds:0} s" : ex.Message;
            _authenticationFailed = McpAuthenticationException.Describes(ex);
            McpLog.ConnectFailed(_services.Log, ex, Name, backoff);
            return (null, $"The MCP server '{Name}' could not be reached: {_lastError}.");
        }
    }

    private async Task<IMcpConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connector = _services.Connector ?? throw new InvalidOperationException("this Lucid server was started without an MCP client");
        switch (_server)
        {
            case McpUrlServer url:
                var headers = await _services.Headers(url.Url, cancellationToken);
                if (!headers.IsSuccess)
                {
                    throw new McpAuthenticationException(headers.Error.Message);
                }

                return await connector.ConnectAsync(
                    new McpHttpEndpoint(Name, new Uri(url.Url)) { ConnectTimeout = _services.Options.ConnectTimeout, Headers = headers.Value },
                    () => _toolsChanged = true,
                    cancellationToken);
            case McpStdioServer stdio:
                var started = await McpStdioProcess.StartAsync(stdio, await _services.Sandbox(cancellationToken), _services.WorkDirectory(), _services.Log);
                _process = started.IsSuccess ? started.Value : throw new InvalidOperationException(started.Error.Message);
                return await connector.ConnectAsync(_process.Endpoint(Name), () => _toolsChanged = true, cancellationToken);
            default:
                throw new InvalidOperationException($"No way to reach MCP server {_server.GetType().Name}.");
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var options = _services.Options;
        var ticks = options.FirstBackoff.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return ticks >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    // A broken connection is closed; the next use reconnects at once, and backs off only if that fails too.
    private async Task BreakAsync(Exception ex)
    {
        McpLog.ConnectionBroke(_services.Log, ex, Name);
        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        var process = Interlocked.Exchange(ref _process, null);
        _tools = null;
        try
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
#pragma warning disable CA1031 // Closing a connection that already broke may fail in any way; it is gone either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }
}
