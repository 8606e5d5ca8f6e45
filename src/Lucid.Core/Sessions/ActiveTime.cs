namespace Lucid.Sessions;

/// <summary>
/// How long a log has spent running, from its status events: the closed running periods, and the open one, if any.
/// Sessions and threads keep one each, for their <c>stats</c>.
/// </summary>
public sealed record ActiveTime
{
    /// <summary>Never ran.</summary>
    public static ActiveTime None { get; } = new();

    /// <summary>Seconds spent running in periods that have ended.</summary>
    public double Seconds { get; init; }

    /// <summary>When the running period in progress began, or null when the log is not running.</summary>
    public DateTimeOffset? RunningSince { get; init; }

    /// <summary>When the log first started running, or null when it never has.</summary>
    public DateTimeOffset? FirstRunningAt { get; init; }

    /// <summary>The time after the log started running at <paramref name="at"/> (no change when it already runs).</summary>
    public ActiveTime Start(DateTimeOffset at) =>
        RunningSince is not null ? this : this with { RunningSince = at, FirstRunningAt = FirstRunningAt ?? at };

    /// <summary>The time after the log stopped running at <paramref name="at"/> (no change when it was not running).</summary>
    public ActiveTime Stop(DateTimeOffset at) =>
        RunningSince is { } since ? this with { Seconds = Seconds + Math.Max(0, (at - since).TotalSeconds), RunningSince = null } : this;

    /// <summary>Seconds spent running as of <paramref name="now"/>, the period in progress included.</summary>
    public double SecondsAt(DateTimeOffset now) =>
        Seconds + (RunningSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0);
}
