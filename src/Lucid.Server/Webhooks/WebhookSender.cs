using System.Net;
using System.Net.Sockets;
using System.Text;
using Lucid.Webhooks;
using StandardWebhooks;

namespace Lucid.Server.Webhooks;

/// <summary>
/// Makes one delivery attempt: posts the event's payload, signed with the endpoint's secret by the Standard Webhooks
/// scheme (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), and says what came back. Redirects
/// are not followed, and unless private addresses are allowed every connection's resolved address must be public.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public WebhookSender(WebhookOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _http = new HttpClient(handler ?? Handler(options.AllowPrivateAddresses)) { Timeout = options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Lucid-Webhooks/1");
    }

    /// <summary>The result of one attempt: the status (null when none came back), an error, and the start of the body.</summary>
    public async Task<(int? Status, string? Error, string? Response)> SendAsync(WebhookEndpoint endpoint, WebhookEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(e);
        var payload = e.Payload();
        var now = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", e.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.SigningSecret).Sign(e.Id, now, payload));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadStartAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? null : $"The endpoint answered {status} {response.ReasonPhrase}.", body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex is TaskCanceledException ? "The endpoint did not answer in time." : ex.InnerException?.Message ?? ex.Message, null);
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[WebhookDelivery.MaxResponseChars];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, read);
    }

    private static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = allowPrivate ? addresses : [.. addresses.Where(WebhookAddresses.IsPublic)];
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"'{context.DnsEndPoint.Host}' resolves to no public address; private webhook addresses are not allowed by the server's configuration.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
