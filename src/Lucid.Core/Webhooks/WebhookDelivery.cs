namespace Lucid.Webhooks;

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Not yet accepted by the endpoint; tried again at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed; no more are made.</summary>
    Failed,
}

/// <summary>The names of delivery states, shared by the wire and the store (so neither depends on C# member names).</summary>
public static class WebhookDeliveryStates
{
    /// <summary>The state's name: <c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public static string Name(WebhookDeliveryState state) => state switch
    {
        WebhookDeliveryState.Delivered => "delivered",
        WebhookDeliveryState.Failed => "failed",
        _ => "pending",
    };

    /// <summary>The state a name stands for.</summary>
    public static WebhookDeliveryState Parse(string name) => name switch
    {
        "delivered" => WebhookDeliveryState.Delivered,
        "failed" => WebhookDeliveryState.Failed,
        "pending" => WebhookDeliveryState.Pending,
        _ => throw new InvalidDataException($"'{name}' is not a webhook delivery state."),
    };
}

/// <summary>One event on its way to one endpoint, with what its last attempt got back.</summary>
public sealed record WebhookDelivery
{
    /// <summary>The delivery's number in the store (increasing; the delivery log's order).</summary>
    public required long Number { get; init; }

    /// <summary>The endpoint it goes to.</summary>
    public required string EndpointId { get; init; }

    /// <summary>The event it carries.</summary>
    public required WebhookEvent Event { get; init; }

    /// <summary>Where it stands.</summary>
    public WebhookDeliveryState State { get; init; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt is due, while pending.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the last attempt was made.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>The HTTP status the last attempt got, or null when it got none (refused, timed out).</summary>
    public int? LastStatus { get; init; }

    /// <summary>Why the last attempt failed, or null when it did not.</summary>
    public string? LastError { get; init; }

    /// <summary>The start of the last response's body (at most <see cref="MaxResponseChars"/> characters).</summary>
    public string? LastResponse { get; init; }

    /// <summary>The most of a response's body kept in the delivery log.</summary>
    public const int MaxResponseChars = 1024;
}
