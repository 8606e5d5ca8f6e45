namespace Lucid.Webhooks;

/// <summary>How Lucid delivers webhooks.</summary>
public sealed record WebhookOptions
{
    /// <summary>
    /// Whether endpoints may be on loopback, private, link-local or other non-public addresses, and use plain
    /// <c>http</c>. Off by default: a webhook URL must not let an API caller make the server reach its own network (SSRF).
    /// </summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>How long one attempt waits for the endpoint's answer. Defaults to 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The waits before each retry of a failed delivery; after the last, the delivery is marked failed. Defaults to
    /// 10 s, 1 min, 5 min, 30 min, 2 h, 6 h and 12 h (eight attempts over about 21 hours).
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
    ];
}
