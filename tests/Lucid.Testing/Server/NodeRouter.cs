using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Server;

/// <summary>What a request to the API is, for <see cref="NodeRouter"/>.</summary>
public enum RequestKind
{
    /// <summary><c>POST /v1/sessions</c>.</summary>
    Create,

    /// <summary>A stream: <c>GET …/events/stream</c> or a thread's <c>GET …/stream</c>.</summary>
    Stream,

    /// <summary><c>POST /v1/sessions/{id}/events</c>.</summary>
    Send,

    /// <summary>Any other request.</summary>
    Other,
}

/// <summary>
/// A load balancer in front of the nodes of one cluster, on a free loopback port: it forwards each request to a node by
/// its kind — a session's creation to the first node, every stream to the second, every event sent to the third, and
/// everything else to each node in turn — and counts what it sent where.
/// </summary>
public sealed class NodeRouter : IAsyncDisposable
{
    // Headers about one connection, which the router's own connections replace.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly IReadOnlyList<Func<string>> _nodes;
    private readonly LoopbackHttpServer _server;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<(int Node, RequestKind Kind), int> _routed = new();
    private int _next;

    /// <summary>A router to the nodes whose current addresses <paramref name="nodes"/> give, in order; at least three.</summary>
    public NodeRouter(IReadOnlyList<Func<string>> nodes)
    {
        if (nodes.Count < 3)
        {
            throw new ArgumentException("A router needs three nodes: one to create sessions on, one to stream from, one to send to.", nameof(nodes));
        }

        _nodes = nodes;
        _server = new LoopbackHttpServer(ForwardAsync);
    }

    /// <summary>The router's address, which clients use as the API's.</summary>
    public string BaseUrl => _server.BaseUrl;

    /// <summary>How many requests of each kind went to each node (by its index).</summary>
    public int Routed(int node, RequestKind kind) => _routed.GetValueOrDefault((node, kind));

    public Task StartAsync() => _server.StartAsync();

    /// <summary>Which node (by index) serves a request of <paramref name="method"/> to <paramref name="path"/>, and its kind.</summary>
    public (int Node, RequestKind Kind) Route(string method, string path)
    {
        var kind = KindOf(method, path.TrimEnd('/'));
        return (kind switch
        {
            RequestKind.Create => 0,
            RequestKind.Stream => 1,
            RequestKind.Send => 2,
            _ => (int)((uint)Interlocked.Increment(ref _next) % (uint)_nodes.Count),
        }, kind);
    }

    private static RequestKind KindOf(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var sessions = segments is ["v1", "sessions", ..];
        return method switch
        {
            "POST" when sessions && segments.Length == 2 => RequestKind.Create,
            "POST" when sessions && segments is [_, _, _, "events"] => RequestKind.Send,
            "GET" when segments is [.., "stream"] => RequestKind.Stream,
            _ => RequestKind.Other,
        };
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var (node, kind) = Route(context.Request.Method, context.Request.Path.Value ?? "/");
        _routed.AddOrUpdate((node, kind), 1, (_, count) => count + 1);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), _nodes[node]().TrimEnd('/') + context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await context.Response.StartAsync(context.RequestAborted);
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            // Each read is passed on at once: a stream's events reach the client as the node writes them.
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
